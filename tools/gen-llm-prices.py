#!/usr/bin/env python3
"""Generates ReliAPI's built-in LLM price table from the team's price extracts.

Usage: tools/gen-llm-prices.py [CHAT.json [EMBEDDINGS.json]] > src/main/resources/io/reliapi/llm/cost/builtin-prices.json

CHAT (default tools/prices/llm-prices.json) is the team's extract of BerriAI/litellm's
model_prices_and_context_window.json (the file records the litellm commit and the extraction date);
EMBEDDINGS (default tools/prices/embedding-prices.json) lists embedding models' input prices. Only the
providers ReliAPI has adapters for are kept (openai, anthropic, mistral, gemini), with prices in USD per
1M tokens:

- input_per_1m, output_per_1m as the source gives them (embedding models: output 0, they have no output);
- cache_read_per_1m: the source's cached_input_per_1m, where it has one;
- cache_write_per_1m: Anthropic models only, 1.25 x the input price (Anthropic's published price of a
  5-minute cache write; the source has no column for it). OpenAI and Gemini charge no cache write;
- no reasoning_per_1m: the providers bill reasoning tokens as output tokens, so the output price applies;
- max_input_tokens: the model's context window as the source gives it, where it has one (chat and embedding
  models). It bounds the cost estimate of a request with content by reference (a file the provider has
  stored or fetches); a model without it counts the largest window of its provider's models.
- priority, flex: the model's prices in OpenAI's service tiers of those names ({input,output}_per_1m and
  cache_read_per_1m from the extract's {input,output,cached_input}_{tier}_per_1m), where the source gives
  both the tier's input and output prices; a tier price with only one of them prices no call and is left out.
- input_audio_per_1m, output_audio_per_1m: the model's audio token prices (the extract's columns of those names,
  the source's input_cost_per_audio_token and output_cost_per_audio_token), where the source gives them (OpenAI's
  audio models). Audio tokens the answer reports are settled at them; without them, a capped or budgeted target
  refuses audio (docs/guides/budget-control.md, "Audio").

A price the table lacks falls back to the input price (cache) or the output price (reasoning) at runtime.
Models are sorted by name so a regenerated table diffs cleanly; PriceTableTest checks the committed
table against this transformation of the committed extracts. Re-run it when prices change and commit
the result.
"""
import json
import os
import sys

PROVIDERS = ("openai", "anthropic", "mistral", "gemini")
TIERS = ("priority", "flex")
AUDIO = ("input_audio_per_1m", "output_audio_per_1m")
ANTHROPIC_CACHE_WRITE_FACTOR = 1.25
HERE = os.path.dirname(os.path.abspath(__file__))


def chat_price(m):
    price = {
        "provider": m["provider"],
        "input_per_1m": m["input_per_1m"],
        "output_per_1m": m["output_per_1m"],
    }
    if m.get("cached_input_per_1m") is not None:
        price["cache_read_per_1m"] = m["cached_input_per_1m"]
    if m["provider"] == "anthropic":
        price["cache_write_per_1m"] = round(m["input_per_1m"] * ANTHROPIC_CACHE_WRITE_FACTOR, 10)
    for column in AUDIO:
        if m.get(column) is not None:
            price[column] = m[column]
    price = with_window(price, m)
    for tier in TIERS:
        tier_input, tier_output = m.get(f"input_{tier}_per_1m"), m.get(f"output_{tier}_per_1m")
        if tier_input is not None and tier_output is not None:
            price[tier] = {"input_per_1m": tier_input, "output_per_1m": tier_output}
            if m.get(f"cached_input_{tier}_per_1m") is not None:
                price[tier]["cache_read_per_1m"] = m[f"cached_input_{tier}_per_1m"]
    return price


def with_window(price, m):
    if m.get("max_input_tokens") is not None:
        price["max_input_tokens"] = m["max_input_tokens"]
    return price


def main(chat_path, embeddings_path):
    with open(chat_path, encoding="utf-8") as f:
        source = json.load(f)
    with open(embeddings_path, encoding="utf-8") as f:
        embeddings = json.load(f)
    models = {}
    for m in source["models"]:
        if m["provider"] not in PROVIDERS:
            continue
        if m.get("input_per_1m") is None or m.get("output_per_1m") is None:
            continue
        models[m["model"]] = chat_price(m)
    for m in embeddings["models"]:
        if m["provider"] in PROVIDERS and m.get("input_per_1m") is not None:
            models[m["model"]] = with_window(
                {"provider": m["provider"], "input_per_1m": m["input_per_1m"], "output_per_1m": 0.0}, m)
    out = {
        "source": source["source"],
        "source_commit": source["source_commit"],
        "extracted": source["extracted"],
        "embeddings_extracted": embeddings["extracted"],
        "unit": source["unit"],
        "generated_by": "tools/gen-llm-prices.py",
        "providers": list(PROVIDERS),
        "models": {name: models[name] for name in sorted(models)},
    }
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    if len(sys.argv) > 3:
        sys.exit(__doc__)
    chat = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "prices", "llm-prices.json")
    emb = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "prices", "embedding-prices.json")
    main(chat, emb)
