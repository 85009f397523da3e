# 100 watch rules of mixed kinds for the #14 ingest benchmark.
import sys
countries = ["RUS","UKR","USA","CHN","GBR","FRA","DEU","IRN","ISR","PRK","KOR","JPN","IND","PAK","TUR","SYR","IRQ","AFG","SAU","EGY"]
roots = ["01","02","03","04","05","06","07","08","09","10","11","12","13","14","15","16","17","18","19","20"]
plover = ["AGREE","CONSULT","SUPPORT","COOPERATE","AID","REQUEST","ACCUSE","REJECT","THREATEN","PROTEST","SANCTION","ASSAULT"]
words = ["minister","election","strike","talks","missile","bank","trade","protest","court","police"]
out = []
for i in range(100):
    k = i % 5
    c = countries[i % len(countries)]
    r = roots[i % len(roots)]
    name = f"bench-{i:03d}"
    if k == 0:   # actor + root
        body = f'actor = "{c}"\ncameo = "{r}*"'
    elif k == 1: # dyad + plover + modality
        d = countries[(i + 3) % len(countries)]
        body = f'dyad = "{c}~{d}"\nplover = "{plover[i % len(plover)]}"\nmodality = ["asserted", "alleged"]'
    elif k == 2: # kb predicate + roots (no actor: every event of those roots)
        body = f'kb = "under_arms_embargo(either)"\ncameo = ["{r}", "{roots[(i+7)%20]}"]'
    elif k == 3: # text on any event (no root: tested on every event)
        body = f'text = ["{words[i % len(words)]}", "{words[(i+3) % len(words)]}"]\nactor = "*GOV"'
    else:        # regex + country + thresholds
        body = f'regex = "{words[i % len(words)]}s?"\nmin_sources = 1\nsource = "{c}"'
    out.append(f'[[rule]]\nname = "{name}"\n{body}\n')
open(sys.argv[1] if len(sys.argv) > 1 else "rules100.toml", "w").write("\n".join(out))
print(len(out))
