"""Sums a dhat heap profile (dhat-heap.json) by allocation site, a site being the first three
frames outside the standard library: bytes held at the peak (gb), at the end (eb) or allocated
in all (tb). Usage: dhat_top.py FILE [gb|eb|tb]"""
import collections
import json
import signal
import sys

signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` is the usual reader
SKIPPED = ("alloc::", "core::", "dhat::", "std::", "hashbrown", "<alloc", "<core", "<std",
           "[root]", "__rust", "serde")

profile = json.load(open(sys.argv[1]))
key = sys.argv[2] if len(sys.argv) > 2 else "gb"
frames = profile["ftbl"]
points = profile["pps"]
print(f"at the peak: {sum(p.get('gb', 0) for p in points) / 1048576:.1f} MiB, "
      f"at the end: {sum(p.get('eb', 0) for p in points) / 1048576:.1f} MiB")


def site(frame_ids):
    kept = []
    for name in (frames[i] for i in frame_ids):
        if not any(skipped in name for skipped in SKIPPED):
            kept.append(name.split(" (")[0][:110])
        if len(kept) == 3:
            break
    return " <- ".join(kept) or frames[frame_ids[0]][:100]


totals = collections.Counter()
for point in points:
    totals[site(point["fs"])] += point.get(key, 0)
for name, size in totals.most_common(30):
    if size:
        print(f"{size / 1048576:8.2f} MiB  {name}")
