"""Optuna's side of the Kairos interop tests (run with Debian's python3-optuna 3.1).

  dump STORAGE STUDY                      print the study as optuna.load_study sees it (JSON)
  optimize STORAGE STUDY N STEPS STEP_MS  run study.optimize(n_trials=N) with the built-in test objective
  schema STORAGE                          let Optuna create its tables in an empty database
  create STORAGE STUDY DIRECTION          optuna.create_study
"""
import json
import math
import sys
import time

import optuna


def storage(url):
    kwargs = {"connect_args": {"timeout": 120}} if url.startswith("sqlite") else {}
    return optuna.storages.RDBStorage(url, engine_kwargs=kwargs)


def objective(steps, step_ms):
    """Kairos's TestObjective (kind `test`): minimum 0 at x = 1, lr = 0.01, depth = 6, kind = b."""

    def run(trial):
        x = trial.suggest_float("x", -5, 5)
        lr = trial.suggest_float("lr", 1e-4, 1, log=True)
        depth = trial.suggest_int("depth", 2, 12)
        kind = trial.suggest_categorical("kind", ["a", "b", "c"])
        trial.set_user_attr("made_by", "optuna")
        value = (x - 1) ** 2 + (math.log10(lr) + 2) ** 2 + abs(depth - 6) * 0.1 + (0 if kind == "b" else 1)
        for step in range(steps):
            if step_ms > 0:
                time.sleep(step_ms / 1000)
            trial.report(value + 1.0 / (step + 1), step)
            if trial.should_prune():
                raise optuna.TrialPruned()
        return value

    return run


def number(v):
    if v is None:
        return None
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def dump(url, name):
    study = optuna.load_study(study_name=name, storage=storage(url))
    trials = []
    for t in study.get_trials(deepcopy=False):
        trials.append({
            "number": t.number,
            "state": t.state.name,
            "value": number(t.value),
            "params": t.params,
            "distributions": {k: optuna.distributions.distribution_to_json(d) for k, d in t.distributions.items()},
            "intermediate_values": {str(k): number(v) for k, v in t.intermediate_values.items()},
            "user_attrs": t.user_attrs,
            "system_attrs": t.system_attrs,
            "datetime_start": t.datetime_start.isoformat() if t.datetime_start else None,
            "datetime_complete": t.datetime_complete.isoformat() if t.datetime_complete else None,
        })
    try:
        best = study.best_trial
        best = {"number": best.number, "value": best.value, "params": best.params}
    except ValueError:
        best = None
    print(json.dumps({
        "direction": study.direction.name,
        "user_attrs": study.user_attrs,
        "trials": trials,
        "best_trial": best,
        "summaries": [s.study_name for s in optuna.get_all_study_summaries(storage(url))],
    }))


def main(argv):
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    command = argv[1]
    if command == "dump":
        dump(argv[2], argv[3])
    elif command == "optimize":
        # Kairos's study settings decide about pruning; this worker never prunes.
        study = optuna.load_study(study_name=argv[3], storage=storage(argv[2]), pruner=optuna.pruners.NopPruner())
        study.optimize(objective(int(argv[5]), int(argv[6])), n_trials=int(argv[4]))
        print(json.dumps({"trials": int(argv[4])}))
    elif command == "create":
        optuna.create_study(study_name=argv[3], storage=storage(argv[2]), direction=argv[4])
    elif command == "schema":
        storage(argv[2])
    else:
        raise SystemExit("unknown command " + command)


if __name__ == "__main__":
    main(sys.argv)
