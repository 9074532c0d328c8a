"""Early warning (预警, ziyang §21, xixian §9(6)): anomalies in the hotline's own data, raised to supervisors.

    detectors.py     the maths, no database: robust baselines, bursts, repeats, danger words
    danger_words.txt the curated word list (package data)
    conf.py          the thresholds (settings HOTLINE_WARNING_*)
    models.py        Warning (one per anomaly, de-duplicated) and WarningEvent (who did what, when)
    scan.py          the aggregate queries feeding the detectors, and the upsert of warnings
    services.py      acknowledge / close / reopen, one transaction each, logged
    selectors.py     what each role may see
    bench.py         precision and recall on synthetic history with injected anomalies
"""
