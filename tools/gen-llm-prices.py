#!/usr/bin/env python3
"""Generates ReliAPI's built-in LLM price table from a litellm-derived price extract.

Usage: tools/gen-llm-prices.py SOURCE.json > src/main/resources/io/reliapi/llm/cost/builtin-prices.json

SOURCE is the team's extract of BerriAI/litellm's model_prices_and_context_window.json (the file
records the litellm commit and the extraction date). Only the providers ReliAPI has adapters for are
kept (openai, anthropic, mistral), with input and output prices in USD per 1M tokens; models are
sorted by name so a regenerated table diffs cleanly. Re-run it when prices change and commit the result.
"""
import json
import sys

PROVIDERS = ("openai", "anthropic", "mistral")


def main(path):
    with open(path, encoding="utf-8") as f:
        source = json.load(f)
    models = {}
    for m in source["models"]:
        if m["provider"] not in PROVIDERS:
            continue
        if m.get("input_per_1m") is None or m.get("output_per_1m") is None:
            continue
        models[m["model"]] = {
            "provider": m["provider"],
            "input_per_1m": m["input_per_1m"],
            "output_per_1m": m["output_per_1m"],
        }
    out = {
        "source": source["source"],
        "source_commit": source["source_commit"],
        "extracted": source["extracted"],
        "unit": source["unit"],
        "generated_by": "tools/gen-llm-prices.py",
        "providers": list(PROVIDERS),
        "models": {name: models[name] for name in sorted(models)},
    }
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
