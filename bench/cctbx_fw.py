"""cctbx's French-Wilson on the synthetic reflections written by conversions.bench.mjs.

Usage: /usr/bin/python3 bench/cctbx_fw.py IN.f64 OUT.f64 a b c alpha beta gamma 'SPACE GROUP'
IN.f64: n rows of float64 (h, k, l, I, sigI). OUT.f64: n rows of float64 (F, sigF), NaN where cctbx
rejected the reflection. Prints one JSON line: {"seconds": time in french_wilson(), "n": ..., "kept": ...}.
Only the french_wilson() call is timed (cctbx bins, computes its prior and the posterior).
"""
import io
import json
import sys
import time

import numpy as np
from cctbx import crystal, miller
from cctbx.array_family import flex


def main():
    src, dst = sys.argv[1], sys.argv[2]
    cell = tuple(float(x) for x in sys.argv[3:9])
    sg = sys.argv[9]
    rows = np.fromfile(src, dtype="<f8").reshape(-1, 5)
    hkl = rows[:, :3].astype(np.int32)
    cs = crystal.symmetry(unit_cell=cell, space_group_symbol=sg)
    idx = flex.miller_index(list(map(tuple, hkl.tolist())))
    ms = miller.set(cs, idx, anomalous_flag=False)
    ia = miller.array(ms, flex.double(rows[:, 3].copy()), flex.double(rows[:, 4].copy()))
    ia = ia.set_observation_type_xray_intensity()
    t0 = time.perf_counter()
    fa = ia.french_wilson(log=io.StringIO())
    seconds = time.perf_counter() - t0
    out = np.full((len(rows), 2), np.nan)
    pos = {tuple(h): i for i, h in enumerate(hkl.tolist())}
    for h, f, s in zip(fa.indices(), fa.data(), fa.sigmas()):
        i = pos.get(tuple(h))
        if i is not None:
            out[i] = (f, s)
    out.astype("<f8").tofile(dst)
    print(json.dumps({"seconds": seconds, "n": len(rows), "kept": fa.size()}))


if __name__ == "__main__":
    main()
