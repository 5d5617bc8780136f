"""Message-level 5-fold figures: held-out learned key and held-out reader through Safety.check.
usage: cvfull.py TABLE OUT.pkl   (computes)   |  cvfull.py --report OUT.pkl"""
import sys, pickle, time
import numpy as np
from pathlib import Path

def compute(table, out):
    from bot.config import Settings
    from bot.embeddings import load_embeddings, sentence_model
    from bot.safety import default, teach
    from bot.safety.train import read_examples, embed, fit
    from bot.safety.learned import LearnedKey, windows
    rows = read_examples(Path(table))
    emb, _ = load_embeddings(Settings())
    enc = sentence_model(emb)
    rules = default().rules
    red = frozenset(r.id for r in rules.red_flags)
    import os
    teach.EPOCHS = int(os.environ.get("CV_EPOCHS", teach.EPOCHS)); teach.RATE = float(os.environ.get("CV_RATE", teach.RATE))
    t = time.perf_counter()
    if os.environ.get("CV_KEY"):
        learned = pickle.load(open(os.environ["CV_KEY"], "rb"))[1]
        taught = teach.by_row(rows); doubts = teach.held_out(enc, taught)
        print(f"reader {time.perf_counter()-t:.0f} s", file=sys.stderr)
        pickle.dump((rows, learned, taught, doubts), open(out, "wb")); return
    vectors = embed(emb, [m for _, m in rows])
    labels = np.array([l for l, _ in rows])
    wins = [windows(m) for _, m in rows]
    wvec = [embed(emb, w[1:]) if len(w) > 1 else None for w in wins]
    fold = np.arange(len(rows)) % 5
    learned = [None] * len(rows)
    for k in range(5):
        tr = fold != k
        model = fit(vectors[tr], list(labels[tr]))
        key = LearnedKey(tuple(model.classes_), model.coef_.astype(np.float32), model.intercept_.astype(np.float32), red, rules.learned)
        for i in np.where(~tr)[0]:
            v = [vectors[i]] + (list(wvec[i]) if wvec[i] is not None else [])
            learned[i] = key.find_in_turn(np.array(v), len(rows[i][1].split()))
    print(f"key {time.perf_counter()-t:.0f} s", file=sys.stderr)
    taught = teach.by_row(rows)
    doubts = teach.held_out(enc, taught)
    print(f"reader {time.perf_counter()-t:.0f} s", file=sys.stderr)
    pickle.dump((rows, learned, taught, doubts), open(out, "wb"))

def report(path, show=None):
    from bot.safety import default
    from bot.safety.reader import around
    rows, learned, taught, doubts = pickle.load(open(path, "rb"))
    safety = default()
    red = {r.id for r in safety.rules.red_flags}
    base = {}
    for t in [1.01, 0.5, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98]:
        c = dict(em=0, emr=0, d=0, dr=0, b=0, fd=0, named=0)
        shown = []
        for (label, msg), found, pairs, ds in zip(rows, learned, taught, doubts):
            d = {(w, p): x for (w, p, _), x in zip(pairs, ds)}
            def doubt(asked):
                return [float(min(d.get((w, p), 0.0) for p in around(text, w)) >= t) for w, text in asked]
            v = safety.check([msg], [found], doubt if t <= 1 else None)
            route = v.route
            if label == "none":
                c["b"] += 1; c["fd"] += route is not None
            else:
                c["dr"] += 1; c["d"] += route is not None
                if label in red:
                    c["emr"] += 1; c["em"] += route == "emergency"
                if t > 1: base[msg] = route
                elif show and t == show and route is None and base[msg]: shown.append(f"LOST {label}: {msg[:160]}")
            if label == "none" and t > 1: base[msg] = route
            if label == "none" and show and t == show and route is None and base[msg]: shown.append(f"CLEARED: {msg[:160]}")
        print(f"t={t}: emergency {c['em']}/{c['emr']} deferral {c['d']}/{c['dr']} ({c['d']/c['dr']:.2%}) false {c['fd']}/{c['b']} ({c['fd']/c['b']:.1%})")
        print("\n".join(shown))

if __name__ == "__main__":
    if sys.argv[1] == "--report":
        report(sys.argv[2], float(sys.argv[3]) if len(sys.argv) > 3 else None)
    else:
        compute(sys.argv[1], sys.argv[2])
