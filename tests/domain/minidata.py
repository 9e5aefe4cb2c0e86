"""A small valid dataset written file by file, so each validation test breaks exactly one rule."""

from __future__ import annotations

from pathlib import Path

FILES: dict[str, str] = {
    "sources.csv": (
        "id,citation,kind,pmid,doi,nct,url,locator,note\nS1,Test J et al. 2020,article,12345678,,,,Table 2,\n"
    ),
    "drugs/testinib.toml": (
        'id = "testinib"\nname = "Testinib"\nclass = "JAK inhibitor"\nbrands = ["Testa"]\n'
        'codes = ["TST-101"]\ntargets = ["JAK1"]\n\n[[selectivity]]\ntarget = "JAK1"\nic50_nm = 10.0\n'
        'qualifier = ""\nassay = "enzyme"\nsource = "S1"\nlevel = "verified"\n\n'
        '[[approved_dose]]\ntext = "10 mg once daily"\ndaily_mg = 10\nsource = "S1"\nlevel = "verified"\n'
    ),
    "trials.csv": (
        "id,name,nct,phase,population,background,primary_timepoint,randomised_n,indication,source,level,note\n"
        "t1,TEST-1,NCT01234567,2,MTX-IR,MTX,week 12,300,rheumatoid arthritis,S1,verified,\n"
    ),
    "arms.csv": (
        "id,trial,role,drug,label,dose,unit,frequency,daily_dose_mg,n,source,level,note\n"
        "t1-pbo,t1,placebo,,Placebo,,,,0,100,S1,verified,\n"
        "t1-10,t1,drug,testinib,10 mg QD,10,mg,QD,10,100,S1,verified,\n"
        "t1-20,t1,drug,testinib,20 mg QD,20,mg,QD,20,100,S1,verified,\n"
    ),
    "results.csv": (
        "trial,arm,outcome,timepoint,responders,percent,n,source,level,note\n"
        "t1,t1-pbo,ACR20,week 12,30,,,S1,verified,\n"
        "t1,t1-10,ACR20,week 12,,55,,S1,verified,\n"
        "t1,t1-20,ACR20,week 12,62,,,S1,verified,\n"
    ),
    "adverse_events.csv": (
        "trial,arm,term,serious,affected,percent,at_risk,timepoint,source,level,note\n"
        "t1,t1-pbo,headache,no,2,,,week 12,S1,verified,\n"
        "t1,t1-10,headache,no,4,,,week 12,S1,verified,\n"
    ),
}


def write_dataset(root: Path, overrides: dict[str, str] | None = None) -> Path:
    """Write the dataset into ``root``; ``overrides`` replace whole files, keyed as in FILES."""
    for name, text in {**FILES, **(overrides or {})}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def replace_line(name: str, line: int, new: str) -> dict[str, str]:
    """FILES[name] with its (1-based) line replaced, for one-rule-broken tests."""
    lines = FILES[name].splitlines()
    lines[line - 1] = new
    return {name: "\n".join(lines) + "\n"}


TEN_MISTAKES_FILES: dict[str, str] = {
    "results.csv": (
        "trial,arm,outcome,timepoint,responders,percent,n,source,level,note\n"
        "t1,t1-pbo,ACR20,,30,,,S1,verified,\n"  # 1 missing timepoint
        "t1,t1-10,ACR20,week 12,abc,,,S1,verified,\n"  # 2 not a number
        "t9,t1-20,ACR20,week 12,62,,,S1,verified,\n"  # 3 arm of another trial
        "t1,t1-xx,ACR20,week 12,62,,,S1,verified,\n"  # 4 unknown arm
        "t1,t1-20,ACR20,week 12,162,,,S1,verified,\n"  # 5 above n
        "t1,t1-20,ACR20,week 12,-3,,,S1,verified,\n"  # 6 negative
        "t1,t1-20,ACR50,week 12,,101,,S1,verified,\n"  # 7 percent over 100
        "t1,t1-20,ACR70,week 12,10,,,,verified,\n"  # 8 no source
        "t1,t1-20,ACR70,week 24,10,,,S1,guess,\n"  # 9 bad level
        "t1,t1-20,BOGUS,week 12,10,,,S1,verified,\n"  # 10 unknown outcome
    )
}

# The trial without its placebo arm: every filter selects it, but there is no comparison to make.
NO_PLACEBO_FILES: dict[str, str] = {
    "arms.csv": "\n".join(line for line in FILES["arms.csv"].splitlines() if "placebo" not in line) + "\n",
    "results.csv": "\n".join(line for line in FILES["results.csv"].splitlines() if "pbo" not in line) + "\n",
    "adverse_events.csv": FILES["adverse_events.csv"].splitlines()[0] + "\n",
}

# Three patients an arm, none responding on placebo: intervals (an odds ratio's above all) wider than any axis.
TINY_ARMS_FILES: dict[str, str] = {
    "arms.csv": FILES["arms.csv"].replace(",0,100,S1", ",0,3,S1").replace(",QD,20,100,", ",QD,20,3,"),
    "results.csv": FILES["results.csv"].replace("week 12,30,", "week 12,0,").replace("week 12,62,", "week 12,3,"),
}
