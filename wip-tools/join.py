"""Join blind batches (studied) into the examples table: each case one row, turns joined by a space, kept in label groups."""
import csv, json, sys, io
table = sys.argv[1]; out_path = sys.argv[2]; batches = sys.argv[3:]
rows = list(csv.DictReader(open(table, encoding="utf-8", newline="")))
order = list(dict.fromkeys(r["label"] for r in rows))
have = {" ".join(r["message"].split()).casefold() for r in rows}
new = []
for b in batches:
    for l in open(b, encoding="utf-8"):
        c = json.loads(l)
        m = " ".join(" ".join(t.split()) for t in c["turns"])
        if m.casefold() not in have:
            have.add(m.casefold()); new.append({"label": c["label"], "message": m})
for r in new:
    if r["label"] not in order: order.insert(len(order) - 1, r["label"])
allrows = sorted(rows + new, key=lambda r: order.index(r["label"]))  # stable: new rows end their group
buf = io.StringIO()
w = csv.DictWriter(buf, fieldnames=["label", "message"]); w.writeheader(); w.writerows(allrows)
open(out_path, "w", encoding="utf-8", newline="").write(buf.getvalue())
print(len(rows), "+", len(new))
