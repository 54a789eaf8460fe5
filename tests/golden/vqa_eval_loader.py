"""Loads the answer processing of the official VQAv2 evaluation (vqaEval.py) from a checkout of
GT-Vision-Lab/VQA, so expected values come from the original code, which is never copied here.

vqaEval.py is Python 2 (print statements); the loader rewrites those lines to print() calls before
executing the module. The class is used only for processPunctuation / processDigitArticle.
"""
import re
import sys
import types

DEFAULT_COMMIT = "a013f00"  # tested at GT-Vision-Lab/VQA a013f00 ("Fixed processing answers bug")


class _FakeVqa:
    def getQuesIds(self):
        return []


def load_vqa_eval(path):
    with open(path, encoding="utf-8") as f:
        source = f.read()
    source = re.sub(r"^(\s*)print (.*)$", r"\1print(\2)", source, flags=re.M)
    module = types.ModuleType("vqaEval")
    exec(compile(source, path, "exec"), module.__dict__)
    evaluator = module.VQAEval(_FakeVqa(), _FakeVqa())

    def normalize(answer):
        # What evaluate() does to every answer before comparing, in its order.
        answer = answer.replace("\n", " ").replace("\t", " ").strip()
        answer = evaluator.processPunctuation(answer)
        return evaluator.processDigitArticle(answer)

    return normalize


def vqa_eval_path_from_argv(usage):
    if len(sys.argv) != 2:
        sys.exit(usage + "\n  PATH: PythonEvaluationTools/vqaEvaluation/vqaEval.py of a checkout "
                 "of GT-Vision-Lab/VQA (commit " + DEFAULT_COMMIT + ")")
    return sys.argv[1]
