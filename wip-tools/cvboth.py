import sys, pickle, os
from bot.safety import default
from bot.safety import reader as R
from bot.safety.learned import windows
from bot.safety.match import tokens
A = pickle.load(open(sys.argv[1], "rb")); B = pickle.load(open(sys.argv[2], "rb"))
show = float(sys.argv[3]) if len(sys.argv) > 3 else None
safety = default()
red = {r.id for r in safety.rules.red_flags}
def whole(text, words):
    wanted = set(tokens(words))
    return [p.strip() for p in windows(text)[1:] if wanted <= set(tokens(p))] or [text]
for t in [1.01, 0.8, 0.9, 0.95, 0.98]:
    c = dict(d=0, dr=0, b=0, fd=0); out = []
    for (label, msg), found, pa, da, pb, db in zip(A[0], A[1], A[2], A[3], B[2], B[3]):
        a = {(w, p): x for (w, p, _), x in zip(pa, da)}; b = {(w, p): x for (w, p, _), x in zip(pb, db)}
        def doubt(asked):
            return [float(min(min(a.get((w, p), 0) for p in R.around(text, w)), min(b.get((w, p), 0) for p in whole(text, w))) >= t) for w, text in asked]
        v = safety.check([msg], [found], doubt if t <= 1 else None)
        if label == "none": c["b"] += 1; c["fd"] += v.route is not None
        else:
            c["dr"] += 1; c["d"] += v.route is not None
            if show == t and v.route is None: out.append(f"MISS {label}: {msg[:150]}")
    print(f"t={t}: deferral {c['d']}/{c['dr']} false {c['fd']}/{c['b']} ({c['fd']/c['b']:.1%})")
    print("\n".join(out))
