"""Times smartie (CCP4's loggraph parser, smartie.py beside this file) on a log: parselog plus reading every
cell of every table (what our parser returns). Prints one JSON object: the runs' times in ms, tables, rows."""
import json, os, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import smartie

path, runs = sys.argv[1], int(sys.argv[2])
times = []
for _ in range(runs):
    t0 = time.perf_counter()
    log = smartie.parselog(path)
    rows = 0
    for i in range(log.ntables()):
        t = log.table(i)
        cols = [t.table_column(j).data() for j in range(t.ncolumns())]
        rows += t.nrows()
    times.append((time.perf_counter() - t0) * 1000)
print(json.dumps({'ms': times, 'tables': log.ntables(), 'rows': rows}))
