"""Imports each generated script given on the command line (its main() is not run) and prints,
per script, its settings, the layers build_model() creates and the learning rate at chosen steps."""
import importlib.util
import json
import sys

SETTINGS = ["NETWORK_NAME", "NETWORK_DESCRIPTION", "OPTIMIZER", "LEARNING_RATE", "LR_SCHEDULE", "BATCH_SIZE",
            "EPOCHS", "VALIDATION_SPLIT", "TRAIN_EXAMPLES", "SEED", "AUGMENT_SHIFT", "AUGMENT_ROTATION"]


def inspect(path, totals):
    spec = importlib.util.spec_from_file_location("generated", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.build_model()
    rates = {}
    for total in totals:
        schedule = module.learning_rate(total)
        # Keras passes 0-based steps; report them 1-based as the app counts.
        rates[str(total)] = [schedule(step - 1) if callable(schedule) else schedule for step in range(1, total + 3)]
    return {
        "settings": {k: getattr(module, k) for k in SETTINGS},
        "layers": model.items,
        "modelName": model.name,
        "rates": rates,
    }


def main():
    totals = [int(t) for t in sys.argv[1].split(",")]
    out = [inspect(path, totals) for path in sys.argv[2:]]
    # ensure_ascii keeps lone surrogates (a name may carry one) printable as JSON escapes.
    sys.stdout.write(json.dumps(out, ensure_ascii=True))


main()
