"""The `kobai` command as a user runs it: python3 tests/test_cli.py path/to/kobai"""
import json
import os
import shlex
import subprocess
import sys
import tempfile
import unittest

KOBAI = sys.argv.pop(1) if len(sys.argv) > 1 else "build/native/kobai"
README = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "README.md")
APPLE = ["price = apple * num * tax", "--at", "apple=100", "--at", "num=2", "--at", "tax=1.1"]


def run(*args):
    p = subprocess.run([KOBAI, *args], capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


class Trace(unittest.TestCase):
    def test_apple_walkthrough(self):
        code, out, _ = run("trace", *APPLE)
        self.assertEqual(code, 0)
        self.assertIn("== Forward ==", out)
        self.assertIn("price = (apple*num) × tax = 200 × 1.1 = 220", out)
        self.assertIn("== Backward ==", out)
        self.assertIn("∂price/∂apple = ∂price/∂(apple*num) × num = 1.1 × 2 = 2.2", out)
        self.assertIn("∂price/∂num = ∂price/∂(apple*num) × apple = 1.1 × 100 = 110", out)
        self.assertIn("∂price/∂tax = ∂price/∂price × (apple*num) = 1 × 200 = 200", out)
        self.assertLess(out.index("== Forward =="), out.index("== Backward =="))

    def test_japanese(self):
        code, out, _ = run("trace", "--lesson", "apple", "--lang", "ja")
        self.assertEqual(code, 0)
        self.assertIn("りんごの買い物", out)
        self.assertIn("== 順伝播 ==", out)
        self.assertIn("== 逆伝播 ==", out)
        self.assertIn("乗算ノード", out)

    def test_lesson_with_update_phase(self):
        code, out, _ = run("trace", "--lesson", "two_layer_net")
        self.assertEqual(code, 0)
        self.assertIn("== Update ==", out)
        self.assertIn("W1 ← W1 − η·∂L/∂W1", out)

    def test_iterations_lower_the_loss_as_eval_and_the_update_rule_say(self):
        code, out, _ = run("trace", "--lesson", "two_layer_net", "--iterations", "4")
        self.assertEqual(code, 0)
        self.assertEqual(out.count("== Update =="), 4)
        self.assertIn("=== Iteration 4 ===", out)
        losses = [float(line.split("= ")[-1]) for line in out.split("== Loss by iteration ==")[1].strip().splitlines()]
        self.assertEqual(len(losses), 5)  # four iterations and the loss their last update reached
        # The same by hand: L and its gradients from kobai eval, then W <- W - 0.5 dL/dW for the four params.
        with open(os.path.join(LessonCheck.LESSONS, "08_two_layer_net.json")) as f:
            inputs = json.load(f)["inputs"]
        for k in range(5):
            args = [a for name, v in inputs.items() for a in ("--at", f"{name}={json.dumps(v)}")]
            code, out, err = run("eval", "L = softmax_with_loss(affine(relu(affine(X, W1, b1)), W2, b2), t)", *args, "--json")
            self.assertEqual(code, 0, err)
            result = json.loads(out)
            self.assertAlmostEqual(result["value"], losses[k], places=5)
            for p in ("W1", "b1", "W2", "b2"):
                g, v = result["grads"][p], inputs[p]
                if isinstance(v[0], list):
                    inputs[p] = [[v[i][j] - 0.5 * g[i][j] for j in range(len(v[0]))] for i in range(len(v))]
                else:
                    inputs[p] = [v[j] - 0.5 * g[0][j] for j in range(len(v))]
        self.assertLess(losses[-1], losses[0])

    def test_iterations_bad_input(self):
        for args, message in ((["--lesson", "apple", "--iterations", "3"], "--iterations needs a lesson that trains"),
                              (["--lesson", "two_layer_net", "--iterations", "0"], "--iterations takes 1 to 1000, not 0"),
                              (["--lesson", "two_layer_net", "--iterations", "1001"], "--iterations takes 1 to 1000, not 1001"),
                              (["--lesson", "two_layer_net", "--iterations", "many"], "--iterations takes a whole number, not 'many'")):
            code, out, err = run("trace", *args)
            self.assertEqual((code, out), (2, ""), args)
            self.assertIn(message, err)
        self.assertIn("--iterations is for kobai trace", run("eval", "--lesson", "two_layer_net", "--iterations", "2")[2])

    def test_at_overrides_a_lesson(self):
        code, out, _ = run("eval", "--lesson", "apple", "--at", "num=3", "--json")
        self.assertEqual(code, 0)
        self.assertAlmostEqual(json.loads(out)["value"], 330, places=9)

    def test_lesson_file(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump({"id": "mine", "title": {"en": "Mine", "ja": "自作"}, "goal": "g",
                       "expr": ["t = x1 + x2", "y = t^2"], "inputs": {"x1": 2, "x2": 1}}, f)
        try:
            code, out, _ = run("trace", "--lesson-file", f.name, "--lang", "ja")
            self.assertEqual(code, 0)
            self.assertIn("自作", out)
            self.assertIn("∂y/∂x1 = ∂y/∂t × 1 = 6 × 1 = 6", out)
        finally:
            os.unlink(f.name)


class Readme(unittest.TestCase):
    """Every fenced block in README.md that starts with `$ build/native/kobai ...` is run, and must print exactly
    the block's other lines: the README shows what kobai prints today, not what it printed once."""

    maxDiff = None  # show the whole difference

    def blocks(self):
        with open(README, encoding="utf-8") as f:
            lines = f.read().split("\n")
        found, block = [], None
        for n, line in enumerate(lines, 1):
            if line.startswith("```"):
                if block is None:
                    block = (n + 1, [])  # the line of the command
                else:
                    found.append(block)
                    block = None
            elif block is not None:
                block[1].append(line)
        return [(n, b) for n, b in found if b and b[0].startswith("$ build/native/kobai ")]

    def test_the_readme_shows_what_kobai_prints(self):
        blocks = self.blocks()
        self.assertTrue(blocks, "README.md has no block starting with '$ build/native/kobai': nothing was checked")
        for line, block in blocks:
            args = shlex.split(block[0][2:])[1:]
            with self.subTest(readme_line=line, command=block[0]):
                code, out, err = run(*args)
                self.assertEqual(code, 0, err)
                self.assertEqual(out, "\n".join(block[1:]) + "\n",
                                 f"README.md line {line}: the block no longer shows what the command prints")


class Eval(unittest.TestCase):
    def test_json_contract(self):
        code, out, _ = run("eval", *APPLE, "--json")
        self.assertEqual(code, 0)
        j = json.loads(out)
        self.assertEqual(set(j), {"output", "value", "grads", "nodes"})
        self.assertEqual(j["output"], "price")
        self.assertAlmostEqual(j["value"], 220, places=9)
        self.assertEqual(j["value"], 220.00000000000003)  # full precision, not rounded for display
        self.assertEqual(set(j["grads"]), {"apple", "num", "tax"})
        self.assertAlmostEqual(j["grads"]["apple"], 2.2, places=12)
        self.assertAlmostEqual(j["grads"]["num"], 110, places=9)
        self.assertAlmostEqual(j["grads"]["tax"], 200, places=9)
        for n in j["nodes"]:
            self.assertEqual(set(n), {"name", "op", "value", "grad"})
        self.assertEqual([n["op"] for n in j["nodes"]], ["input", "input", "mul", "input", "mul"])

    def test_matrices_are_lists_of_rows(self):
        code, out, _ = run("eval", "L = sum(X @ W)", "--at", "X=[[1, 2]]", "--at", "W=[[1, 2, 3], [4, 5, 6]]", "--json")
        self.assertEqual(code, 0)
        j = json.loads(out)
        self.assertEqual(j["value"], 36)  # [1, 2] @ W = [9, 12, 15]
        self.assertEqual(j["grads"]["X"], [[6, 15]])
        self.assertEqual(j["grads"]["W"], [[1, 1, 1], [2, 2, 2]])

    def test_names_that_are_not_utf8_do_not_break_json(self):
        p = subprocess.run([KOBAI, "eval", b"y = (1 + # \xff\n x) * 2", "--at", "x=1", "--json"], capture_output=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(json.loads(p.stdout)["value"], 4)

    def test_text(self):
        code, out, _ = run("eval", *APPLE)
        self.assertEqual(code, 0)
        self.assertIn("price = 220", out)
        self.assertIn("∂price/∂apple = 2.2", out)


class EvalWarnings(unittest.TestCase):
    def test_a_non_finite_result_says_where_and_why(self):
        code, out, _ = run("eval", "y = log(x)", "--at", "x=-1")
        self.assertEqual(code, 0)
        self.assertIn("y = NaN", out)
        self.assertIn("! warning: y: log of a number ≤ 0", out)
        code, out, _ = run("eval", "u = x^0.5; y = u*2", "--at", "x=-4")
        self.assertIn("! warning: u: ", out)
        self.assertNotIn("overflow", out)  # a NaN from a negative base is not an overflow
        code, out, _ = run("eval", "y = x*2", "--at", "x=3")
        self.assertNotIn("warning", out)


class HugeLessonFile(unittest.TestCase):
    def test_an_endless_file_is_refused_not_read_until_memory_runs_out(self):
        code, _, err = run("trace", "--lesson-file", "/dev/zero")
        self.assertEqual(code, 2)
        self.assertIn("'/dev/zero' is larger than a lesson file can be (more than 20,971,520 bytes, 20 MiB)", err)


class Check(unittest.TestCase):
    def test_gradient_check_agrees(self):
        code, out, _ = run("check", "L = softmax_with_loss(a, t)", "--at", "a=[[0.3, 2.9, 4.0]]", "--at", "t=[[0, 0, 1]]")
        self.assertEqual(code, 0)
        self.assertIn("numerical:", out)
        self.assertIn("(ok)", out)
        self.assertNotIn("MISMATCH", out)

    def test_gradient_check_shows_a_mismatch(self):
        code, out, _ = run("check", "y = step(x)", "--at", "x=0")
        self.assertEqual(code, 0)
        self.assertIn("MISMATCH", out)

    def test_gradient_check_is_bounded_and_says_what_it_checked(self):
        # A 256x256 W took 220 s entry by entry; now a sample of 64 entries, named (half a second natively for
        # 256x256, see make bench; 96x96 here, which the sanitizer build also runs in seconds).
        w = [[((r * 7 + c * 13) % 19 - 9) / 10 for c in range(96)] for r in range(96)]
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump({"id": "big", "title": "big", "goal": "g", "expr": "y = sum(W @ W)", "inputs": {"W": w}}, f)
        try:
            code, out, _ = run("check", "--lesson-file", f.name)
            self.assertEqual(code, 0)
            self.assertIn("h = 1e-5", out)
            self.assertIn("64 of 9216 entries checked, spread over the matrix", out)
            self.assertIn("row 1, column 1: backprop ", out)
            self.assertIn("(ok", out)
        finally:
            os.unlink(f.name)

    def test_gradient_check_where_the_function_is_not_finite(self):
        code, out, _ = run("check", "y = 1/x", "--at", "x=0")
        self.assertEqual(code, 0)
        self.assertNotIn("nan", out)  # not a C library's "-nan"
        self.assertIn("not finite here: the check cannot be made at this point", out)


class Quiz(unittest.TestCase):
    def test_sheet_and_key(self):
        code, out, _ = run("quiz", "--seed", "7", "--count", "8")
        self.assertEqual(code, 0)
        self.assertIn("# kobai quiz (seed 7, difficulty 2)", out)
        self.assertIn("## Answer key", out)
        self.assertEqual(out, run("quiz", "--seed", "7", "--count", "8")[1])  # the same seed, the same sheet
        for edge in ("0", "9007199254740991"):  # both ends of the one seed range
            self.assertEqual(run("quiz", "--seed", edge, "--count", "2")[0], 0, edge)

    def test_json(self):
        code, out, _ = run("quiz", "--seed", "5", "--count", "12", "--format", "json", "--lang", "ja")
        self.assertEqual(code, 0)
        qs = json.loads(out)
        self.assertEqual(len(qs), 12)
        for q in qs:
            self.assertTrue({"kind", "topic", "prompt", "answer"} <= set(q))
        code, out, _ = run("quiz", "--seed", "5", "--count", "4", "--topics", "step,fanin", "--format", "json")
        self.assertEqual({q["topic"] for q in json.loads(out)} - {"step", "fanin"}, set())

    def test_bad_options(self):
        for args, msg in ((["--count", "0"], "the number of questions must be from 1 to 500, not 0"),
                          (["--seed", "abc"], "--seed must be a whole number from 0 to 9007199254740991, not 'abc'"),
                          (["--seed", "18446744073709551616"], "--seed must be a whole number from 0 to 9007199254740991, not '18446744073709551616'"),
                          (["--seed", "9007199254740992"], "from 0 to 9007199254740991"),
                          (["--topics", "calculus"], "unknown topic 'calculus'"),
                          (["--topics", "x" * 100000], "unknown topic 'xxxxxxxx"),
                          (["--difficulty", "9"], "the difficulty must be 1, 2 or 3, not 9"),
                          (["--format", "pdf"], "--format takes md, json or html, not 'pdf'")):
            code, out, err = run("quiz", *args)
            self.assertEqual(code, 2, args[:1])
            self.assertIn(msg, err)
            self.assertLess(len(err), 400, args[:1])  # a 100 KB value is quoted, not echoed


class QuizPrint(unittest.TestCase):
    """--format html: the sheet a teacher prints, then its key; the same questions and answers as --format json."""

    def test_the_page_may_show_the_sheet_s_style(self):
        # The page opens the sheet in a tab of its own (Print this set…), under the page's Content-Security-Policy:
        # index.html lists the style's hash. Changing the style means changing that hash.
        import base64
        import hashlib
        import re
        style = re.search(r"<style>(.*?)</style>", run("quiz", "--count", "1", "--format", "html")[1], re.S).group(1)
        digest = "sha256-" + base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "index.html")) as f:
            self.assertIn("'" + digest + "'", f.read(), "index.html's style-src should list the sheet's style")

    def test_the_printed_sheet_asks_what_the_json_asks(self):
        import html
        import re
        for lang in ("en", "ja"):
            args = ["quiz", "--seed", "11", "--count", "12", "--topics", "local,step,shapes,concepts,outsize", "--lang", lang]
            code, page, err = run(*args, "--format", "html")
            self.assertEqual(code, 0, err)
            questions = json.loads(run(*args, "--format", "json")[1])
            sheet, key = page.split('<section class="key">')
            prompts = [html.unescape(p) for p in re.findall(r'<p class="prompt">(.*?)</p>', sheet, re.S)]
            self.assertEqual(prompts, [q["prompt"] for q in questions])
            answers = [html.unescape(a) for a in re.findall(r"<li><b>(.*?)</b>", key)]
            self.assertEqual([a.split(")")[0] if q["kind"] == "choice" else a for a, q in zip(answers, questions)],
                             [q["answer"] for q in questions])
            self.assertEqual(sheet.count('class="write"'), 12, "room to write under every question")
            self.assertIn("size: A4", page)
            self.assertIn(".key { break-before: page; }", page)
            self.assertIn('lang="%s"' % lang, page)
            self.assertNotIn("<li><b>", sheet, "no answer on the students' pages")
        # Text is never markup: a prompt's < and & arrive escaped.
        code, page, _ = run("quiz", "--seed", "5", "--count", "30", "--topics", "local", "--format", "html")
        body = page.split("<body>")[1]
        self.assertIsNone(re.search(r"<(?!/?(h1|h2|p|div|span|ol|li|b|section|body|html)\b)", body), "only the sheet's own tags")

    def test_help_lists_every_topic(self):
        out = run("quiz", "--help")[1]
        for name in ("local", "concepts", "update", "saddle", "bptt", "gate", "cell", "rnnparams",
                     "outsize", "convparams", "convvalue", "poolgrad", "im2colshape"):
            self.assertRegex(out, r"\n  %s +\S" % name, name)
        self.assertIn("--format md|json|html", out)


class QuizBank(unittest.TestCase):
    """A teacher's own questions: kobai quiz check FILE, and kobai quiz --bank FILE."""

    def write(self, text):
        d = tempfile.mkdtemp()
        path = os.path.join(d, "mine.json")
        with open(path, "w") as f:
            f.write(text)
        return path

    def format_page_example(self):
        import re
        docs = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "docs")
        with open(os.path.join(docs, "questions.md")) as f:
            examples = re.findall(r"```json\n(.*?)```", f.read(), re.S)
        self.assertEqual(len(examples), 1)
        return examples[0]

    def test_the_format_page_example_checks_and_makes_a_sheet(self):
        path = self.write(self.format_page_example())
        code, out, err = run("quiz", "check", path)
        self.assertEqual((code, err), (0, ""))
        self.assertIn("a question bank kobai can ask", out)
        self.assertIn("questions: 1, topic concepts", out)
        code, out, err = run("quiz", "--bank", path, "--seed", "4", "--count", "1", "--format", "json", "--lang", "ja")
        self.assertEqual((code, err), (0, ""))
        q = json.loads(out)[0]
        self.assertEqual((q["id"], q["source"]), ("w3-1", "lecture 3, slide 12"))
        self.assertEqual(q["choices"][ord(q["answer"]) - ord("A")], "10")
        # Each wrong choice's reason, under its letter.
        for letter, choice in zip("ABC", q["choices"]):
            if choice != "10":
                self.assertIn(letter + ") " + choice + ": ", q["working"])

    def test_a_sheet_of_a_teachers_bank_asks_each_question_once(self):
        questions = [{"id": "q%d" % i, "prompt": "Question %d?" % i, "answer": 0,
                      "choices": ["yes", {"en": "no", "ja": "いいえ", "why": "because"}]} for i in range(6)]
        path = self.write(json.dumps({"kobai": "questions", "title": "Week 2", "questions": questions}, indent=2))
        code, out, err = run("quiz", "--bank", path, "--seed", "8", "--count", "6", "--format", "json")
        self.assertEqual((code, err), (0, ""))
        self.assertEqual(sorted(q["id"] for q in json.loads(out)), ["q%d" % i for i in range(6)])
        self.assertEqual(out, run("quiz", "--bank", path, "--seed", "8", "--count", "6", "--format", "json")[1])
        code, page, _ = run("quiz", "--bank", path, "--seed", "8", "--count", "3", "--format", "html")
        self.assertIn("Week 2", page)
        # Mixed with generated questions when --topics names them.
        code, out, _ = run("quiz", "--bank", path, "--seed", "8", "--count", "20", "--topics", "concepts,local", "--format", "json")
        self.assertEqual({q["topic"] for q in json.loads(out)}, {"concepts", "local"})

    def test_the_course_bank_names_its_source_in_the_key(self):
        code, out, err = run("quiz", "--seed", "2", "--count", "6", "--topics", "concepts2,concepts3")
        self.assertEqual((code, err), (0, ""))
        self.assertEqual(out.count("   Source: seed 00"), 6)

    def test_mistakes_name_file_line_and_column(self):
        good = self.format_page_example()
        for change, message in (
                (('"answer": 0', '"answer": 5'),
                 ', line 18, column 7: question 1 (w3-1): "answer" must be the right choice\'s place in the list, 0 to 2 (0 is the first)'),
                (('"hint"', '"hnit"'), ', line 19, column 7: question 1 has an unknown key "hnit"'),
                (('"kobai": "questions"', '"kobai": "lesson"'), ', line 2, column 3: a question bank starts {"kobai": "questions", ...}')):
            path = self.write(good.replace(*change))
            for args in (("quiz", "check", path), ("quiz", "--bank", path)):
                code, out, err = run(*args)
                self.assertEqual(code, 2, (change, args))
                self.assertEqual(out, "")
                self.assertIn("kobai: " + path + message, err)
        code, _, err = run("quiz", "check", "/nonexistent/x.json")
        self.assertEqual(code, 2)
        self.assertIn("cannot read the question bank '/nonexistent/x.json'", err)
        self.assertIn("--bank is for kobai quiz", run("trace", "--lesson", "apple", "--bank", "x")[2])
        self.assertIn("kobai quiz check needs a FILE", run("quiz", "check")[2])


class QuizConvolutions(unittest.TestCase):
    TOPICS = "outsize,convparams,convvalue,poolgrad,im2colshape"

    def test_sheet_with_the_working(self):
        code, out, err = run("quiz", "--topics", self.TOPICS, "--seed", "3")
        self.assertEqual(code, 0, err)
        self.assertIn("## Answer key", out)
        self.assertEqual(out, run("quiz", "--topics", self.TOPICS, "--seed", "3")[1])  # the same seed, the same sheet
        code, out, _ = run("quiz", "--topics", self.TOPICS, "--seed", "3", "--count", "40", "--format", "json", "--lang", "ja")
        self.assertEqual(code, 0)
        qs = json.loads(out)
        self.assertEqual({q["topic"] for q in qs}, set(self.TOPICS.split(",")))
        for q in qs:
            self.assertTrue(q["working"], q["prompt"])
        # a size that does not fit is offered, and sometimes right
        sizes = [q for q in qs if q["topic"] == "outsize"]
        self.assertTrue(all(any(c.startswith("ウィンドウがちょうど収まらない") for c in q["choices"]) for q in sizes))
        self.assertTrue(any(q["choices"][ord(q["answer"]) - 65].startswith("ウィンドウがちょうど収まらない") for q in sizes))


class Help(unittest.TestCase):
    def test_help(self):
        for args in (["--help"], ["trace", "--help"], ["eval", "--help"], ["check", "--help"], ["lessons", "--help"], ["quiz", "--help"],
                     ["descend", "--help"]):
            code, out, _ = run(*args)
            self.assertEqual(code, 0, args)
            self.assertIn("example", out, args)

    def test_lessons(self):
        code, out, _ = run("lessons", "--lang", "ja")
        self.assertEqual(code, 0)
        self.assertEqual(len([l for l in out.splitlines() if not l.startswith(" ")]), 25)
        self.assertIn("りんご", out)


class BadInput(unittest.TestCase):
    def assertBad(self, args, *fragments):
        code, out, err = run(*args)
        self.assertEqual(code, 2, (args, out, err))
        self.assertEqual(out, "")
        for f in fragments:
            self.assertIn(f, err)

    def test_parse_error_has_line_column_and_caret(self):
        self.assertBad(["trace", "price = (apple * num", "--at", "apple=1", "--at", "num=1"],
                       "line 1, column 21: expected ')'", "  price = (apple * num\n                      ^")

    def test_unknown_function(self):
        self.assertBad(["eval", "y = softplus(x)", "--at", "x=1"], "unknown function 'softplus'; the functions are: exp, log")

    def test_missing_input(self):
        self.assertBad(["eval", "y = a * b", "--at", "a=1"], "input 'b' has no value")

    def test_shape_mismatch(self):
        self.assertBad(["eval", "y = a + b", "--at", "a=[1, 2]", "--at", "b=[1, 2, 3]"], "shape mismatch in add (+): 1x2 and 1x3")

    def test_bad_values(self):
        self.assertBad(["eval", "y = a", "--at", "a=[[1, 2], [3]]"], "row 2 has 1 numbers, row 1 has 2")
        self.assertBad(["eval", "y = a", "--at", "a"], "'a' should be NAME=VALUE")
        self.assertBad(["eval", "y = a", "--at", "a=one"], "'one' is not a value")

    def test_empty_and_absurd(self):
        self.assertBad(["eval", ""], "the expression is empty")
        self.assertBad(["eval", "(" * 500 + "1" + ")" * 500], "nested too deeply")
        big = "[" + ",".join(["1"] * 300) + "]"
        self.assertBad(["eval", "y = a", "--at", "a=" + big], "too large (1x300; at most 256x256)")

    def test_usage(self):
        self.assertBad([], "no command given")
        self.assertBad(["frobnicate"], "unknown command 'frobnicate'")
        self.assertBad(["eval", "y = x", "--wat"], "unknown option '--wat'")
        self.assertBad(["eval", "--lesson", "nope"], "unknown lesson 'nope'; the lessons are: apple, apple_orange")
        self.assertBad(["eval"], "give an expression, --lesson ID or --lesson-file FILE")
        self.assertBad(["eval", "y = x", "--lesson", "apple"], "give only one of")
        self.assertBad(["trace", "--lesson", "apple", "--lang", "fr"], "unknown language 'fr': use en or ja")

    def test_bad_lesson_files(self):
        self.assertBad(["trace", "--lesson-file", "/nonexistent.json"], "cannot read the lesson file '/nonexistent.json'")
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            f.write('{"id": "x", "title": "t", "goal": "g", "expr": "y = (x"}')
        try:
            self.assertBad(["trace", "--lesson-file", f.name, "--at", "x=1"], "line 1, column 7: expected ')'")
        finally:
            os.unlink(f.name)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            f.write('{"id": "x", "title": "t"')
        try:
            self.assertBad(["trace", "--lesson-file", f.name], f.name + ": the lesson is not valid JSON")
        finally:
            os.unlink(f.name)

    def test_non_finite_values_are_reported_not_crashed(self):
        code, out, _ = run("trace", "y = log(x)", "--at", "x=-1")
        self.assertEqual(code, 0)
        self.assertIn("warning: log of a number ≤ 0 gives −inf or NaN", out)
        code, out, _ = run("eval", "y = 1 / x", "--at", "x=0", "--json")
        self.assertEqual(code, 0)
        self.assertIsNone(json.loads(out)["value"])  # inf is not JSON: null



class Descend(unittest.TestCase):
    """kobai descend: an optimizer's path down f(x, y), checked against the book's optimizer.py written here."""

    def path(self, *args):
        code, out, err = run("descend", *args, "--json")
        self.assertEqual(code, 0, err)
        return json.loads(out)

    def test_json_contract_and_the_books_adam(self):
        j = self.path("x^2/20 + y^2", "--optimizer", "adam", "--lr", "0.3", "--from", "-7,2", "--steps", "30", "--book")
        self.assertEqual(list(j), ["points", "values"])
        self.assertEqual(len(j["points"]), 31)  # steps + 1, the start first
        self.assertEqual(j["points"][0], [-7, 2])
        # optimizer.py's Adam on the book's df(x, y) = (x / 10, 2y)
        x, y, m, v = -7.0, 2.0, [0.0, 0.0], [0.0, 0.0]
        for i in range(1, 31):
            g = [x / 10.0, 2.0 * y]
            lr_t = 0.3 * (1.0 - 0.999 ** i) ** 0.5 / (1.0 - 0.9 ** i)
            p = [x, y]
            for k in range(2):
                m[k] += (1 - 0.9) * (g[k] - m[k])
                v[k] += (1 - 0.999) * (g[k] ** 2 - v[k])
                p[k] -= lr_t * m[k] / (v[k] ** 0.5 + 1e-7)
            x, y = p
            self.assertAlmostEqual(j["points"][i][0], x, places=9)
            self.assertAlmostEqual(j["points"][i][1], y, places=9)
            self.assertAlmostEqual(j["values"][i], x * x / 20 + y * y, places=9)

    def test_the_book_and_the_published_adam_differ_only_slightly(self):
        args = ("x^2/20 + y^2", "--optimizer", "adam", "--lr", "0.3", "--from", "-7,2")
        book, paper = self.path(*args, "--book"), self.path(*args)
        self.assertNotEqual(book["points"], paper["points"])
        self.assertAlmostEqual(book["points"][-1][0], paper["points"][-1][0], places=4)

    def test_preset_fig6_8(self):
        sgd = self.path("--preset", "fig6-8", "--optimizer", "sgd")
        self.assertEqual(len(sgd["points"]), 31)
        for k, (x, y) in enumerate(sgd["points"]):  # x_k = -7 * 0.905^k, y_k = 2 * (-0.9)^k
            self.assertAlmostEqual(x, -7 * 0.905 ** k, places=9)
            self.assertAlmostEqual(y, 2 * (-0.9) ** k, places=9)
        adagrad = self.path("--preset", "fig6-8", "--optimizer", "adagrad")
        self.assertAlmostEqual(adagrad["points"][1][0], -5.5, places=5)  # the first AdaGrad step is lr = 1.5
        code, _, err = run("descend", "--preset", "fig6-8", "--optimizer", "nesterov")
        self.assertEqual(code, 2)
        self.assertIn("--preset fig6-8 has no nesterov", err)

    def test_noise_is_reproducible(self):
        a = self.path("--surface", "saddle", "--noise", "0.01", "--seed", "3", "--steps", "50")
        b = self.path("--surface", "saddle", "--noise", "0.01", "--seed", "3", "--steps", "50")
        c = self.path("--surface", "saddle", "--noise", "0.01", "--seed", "4", "--steps", "50")
        plain = self.path("--surface", "saddle", "--lr", "0.1", "--steps", "50")
        self.assertEqual(a, b)
        self.assertNotEqual(a, c)
        self.assertTrue(all(y == 0 for _, y in plain["points"]))  # on the ridge, without noise

    def test_every_optimizer_and_its_flags(self):
        for name, flags in (("sgd", []), ("momentum", ["--momentum", "0.5"]), ("nesterov", ["--momentum", "0.5"]),
                            ("adagrad", ["--eps", "1e-6"]), ("rmsprop", ["--decay", "0.9"]),
                            ("adam", ["--beta1", "0.8", "--beta2", "0.99"]), ("adadelta", ["--decay", "0.9"])):
            j = self.path("--surface", "book", "--optimizer", name, "--lr=0.1", *flags, "--steps", "5")
            self.assertEqual(len(j["points"]), 6, name)
            self.assertLess(j["values"][-1], j["values"][0], name)

    def test_divergence_says_where(self):
        code, out, err = run("descend", "x^2/20 + y^2", "--from", "-7,2", "--lr", "1.2", "--steps", "100", "--json")
        self.assertEqual(code, 0)
        j = json.loads(out)
        self.assertEqual(len(j["points"]), 40)  # y_k = 2 * 1.4^k passes f = 1e12 at step 39
        self.assertIn("the path diverged at step 39: f = 1.00011e+12", j["message"])
        self.assertIn("the path diverged at step 39", err)
        code, out, _ = run("descend", "x^2/20 + y^2", "--from", "-7,2", "--lr", "1.2", "--steps", "100")
        self.assertIn("! stopped: the path diverged at step 39", out)

    def test_text_table(self):
        code, out, _ = run("descend", "--surface", "book", "--optimizer", "momentum", "--lr", "0.1", "--steps", "2", "--lang", "ja")
        self.assertEqual(code, 0)
        self.assertIn("v ← αv − η·∇;  ΔW = v", out)
        self.assertIn("v が前の更新量", out)
        self.assertIn("settings: η = 0.1, α = 0.9", out)
        # by hand: v1 = -0.1 * (-0.7, 4) = (0.07, -0.4), p1 = (-6.93, 1.6); v2 = 0.9 * v1 - 0.1 * (-0.693, 3.2)
        # = (0.1323, -0.68), p2 = (-6.7977, 0.92), f = 6.7977^2 / 20 + 0.92^2 = 3.15684
        self.assertEqual(out.strip().splitlines()[-1].split(), ["2", "-6.7977", "0.92", "3.15684"])

    def test_bad_input(self):
        for args, msg in ((["x + z", "--from", "0,0"], "line 1, column 5: f may use only the inputs x and y, not 'z'"),
                          (["log(x) + y", "--from", "-7,2"], "f is NaN at the start (x, y) = (-7, 2)"),
                          (["x^2 +", "--from", "0,0"], "line 1, column 6"),
                          (["x^2"], "give the start with --from X,Y"),
                          ([], "give f(x, y), --surface NAME or --preset NAME"),
                          (["x^2", "--surface", "book"], "give only one of"),
                          (["--surface", "bowl"], "--surface: unknown surface 'bowl'; the surfaces are: book, saddle"),
                          (["--surface", "book", "--optimizer", "lbfgs"], "unknown optimizer 'lbfgs'; the optimizers are: sgd, momentum, nesterov, adagrad, rmsprop, adam, adadelta"),
                          (["--surface", "book", "--lr", "abc"], "--lr takes a number, not 'abc'"),
                          (["--surface", "book", "--lr", "200"], "--lr (learning rate η) must be from 1e-06 to 100, not 200"),
                          (["--surface", "book", "--lr", "nan"], "--lr takes a number, not 'nan'"),
                          (["--surface", "book", "--momentum", "0.5"], "--momentum is not a setting of sgd; its settings: --lr"),
                          (["--surface", "book", "--optimizer", "adam", "--book", "--eps", "1e-8"], "--eps is not a setting of adam with the book's formulas"),
                          (["--surface", "book", "--optimizer", "adadelta", "--book"], "the book's optimizer.py has no Adadelta"),
                          (["--surface", "book", "--from", "1"], "--from takes X,Y"),
                          (["--surface", "book", "--from", "1,2,3"], "--from takes X,Y"),
                          (["--surface", "book", "--steps", "-1"], "--steps takes a whole number"),
                          (["--surface", "book", "--steps", "100001"], "--steps must be from 0 to 100000, not 100001"),
                          (["--surface", "book", "--noise", "-1"], "--noise must be from 0 to 1e+06, not -1"),
                          (["--surface", "book", "--seed", "x"], "--seed must be a whole number"),
                          (["--surface", "book", "--lr"], "--lr needs a value"),
                          (["--surface", "book", "--wat"], "unknown option '--wat'"),
                          (["--surface", "book", "--book=no"], "--book takes no value"),
                          (["--preset", "fig6-8"], "--preset fig6-8 races sgd, momentum, adagrad, adam: pick one with --optimizer"),
                          (["--preset", "fig9"], "unknown preset 'fig9'")):
            code, out, err = run("descend", *args)
            self.assertEqual(code, 2, (args, err))
            self.assertEqual(out, "")
            self.assertIn(msg, err)


def chain(term, op, n):
    return "y = " + op.join([term] * (n + 1))


def lesson_file(text):
    f = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
    f.write(text)
    f.close()
    return f.name


class LessonCheck(unittest.TestCase):
    """kobai lesson check FILE: a teacher's file read as the page reads it; each mistake named with its line and column."""
    LESSONS = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "engine", "lessons")

    def check(self, text):
        name = lesson_file(text)
        try:
            code, out, err = run("lesson", "check", name)
        finally:
            os.unlink(name)
        return code, out, err.replace(name, "FILE")

    def test_every_built_in_lesson_is_right(self):
        for f in sorted(os.listdir(self.LESSONS)):
            if f.endswith(".json"):
                code, out, err = run("lesson", "check", os.path.join(self.LESSONS, f))
                self.assertEqual((code, err), (0, ""), f)
                self.assertIn("a lesson kobai can open", out)
        code, out, _ = run("lesson", "check", os.path.join(self.LESSONS, "08_two_layer_net.json"))
        self.assertIn("inputs:  X (2x2), W1 (2x3), b1 (1x3), W2 (3x2), b2 (1x2), t (2x2)", out)
        self.assertIn("update:  W1, b1, W2, b2 with lr 0.5", out)

    def test_each_mistake_names_its_key_line_and_column(self):
        good = '{\n  "id": "mine",\n  "title": "T",\n  "goal": "G",\n  "expr": "y = a * b",\n  "inputs": {"a": 2, "b": 3}%s\n}\n'
        cases = [
            (good % ',\n  "param": ["a"]', "FILE, line 7, column 3: the lesson has an unknown key \"param\""),
            (good.replace('"b": 3', '"b": [1, "q"]') % "", "FILE, line 6, column 22: input 'b': row 1, column 2 is not a number"),
            (good.replace('"title": "T"', '"title": {"en": "T", "jp": "t"}') % "", "FILE, line 3, column 24: the lesson's \"title\" has an unknown key \"jp\""),
            (good % ',\n  "params": ["a"],\n  "lr": -1', "FILE, line 8, column 3: the lesson's \"lr\" must be greater than 0, not -1"),
            (good % ',\n  "params": "a",\n  "lr": 1', "FILE, line 7, column 3: the lesson's \"params\" must be a list of input names"),
            (good.replace('"expr": "y = a * b"', '"expr": 5') % "", "FILE, line 5, column 3: the lesson's \"expr\" must be a string"),
            (good.replace('"expr": "y = a * b"', '"expr": ["u = a * b", "y = relu(u +)"]') % "", "FILE, line 5: \"expr\" line 2, column 13"),
            (good % ',\n  "params": ["w"],\n  "lr": 1', "FILE: "),
        ]
        for text, message in cases:
            code, out, err = self.check(text)
            self.assertEqual(code, 2, text)
            self.assertEqual(out, "")
            self.assertIn(message, err)
        code, _, err = self.check(good % ',\n  "params": ["w"],\n  "lr": 1')
        self.assertIn("'w'", err)  # a param that is no input is named

    def test_the_format_page_examples_are_right_and_the_schema_agrees(self):
        import re
        import jsonschema  # Debian's python3-jsonschema (make deps)
        docs = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "docs")
        with open(os.path.join(docs, "lesson.schema.json")) as f:
            schema = json.load(f)
        valid = jsonschema.Draft202012Validator(schema)
        with open(os.path.join(docs, "lessons.md")) as f:
            examples = re.findall(r"```json\n(.*?)```", f.read(), re.S)
        self.assertGreaterEqual(len(examples), 6)
        for text in examples:
            code, _, err = self.check(text)
            self.assertEqual((code, err), (0, ""), text[:80])
            valid.validate(json.loads(text))
        for f in sorted(os.listdir(self.LESSONS)):
            if f.endswith(".json"):
                with open(os.path.join(self.LESSONS, f)) as lesson:
                    valid.validate(json.load(lesson))
        # The schema's keys are kobai's: the unknown-key message lists them.
        _, _, err = self.check('{"id": "x", "title": "T", "goal": "G", "expr": "y = 1", "typo": 1}')
        keys = re.search(r"the keys are: ([a-z, ]+)\)", err).group(1).split(", ")
        self.assertEqual(sorted(keys), sorted(schema["properties"]))
        # What kobai refuses for a key's sake, the schema refuses too.
        base = {"id": "x", "title": "T", "goal": "G", "expr": "y = a", "inputs": {"a": 1}}
        for change in ({"param": ["a"]}, {"title": {"en": "T", "jp": "t"}}, {"params": ["a"], "lr": -1},
                       {"params": "a", "lr": 1}, {"expr": 5}, {"params": ["a"]}, {"lr": 1}, {"inputs": {"a": [1, "q"]}},
                       {"inputs": {"a": []}}, {"id": 3}):
            lesson = {**base, **change}
            self.assertEqual(self.check(json.dumps(lesson))[0], 2, change)
            self.assertFalse(valid.is_valid(lesson), change)

    def test_lang_shows_what_a_student_reads(self):
        lessons = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "engine", "lessons", "11_steepest_descent.json")
        code, out, err = run("lesson", "check", lessons, "--lang", "ja")
        self.assertEqual((code, err), (0, ""))
        self.assertIn("  title:   最急降下法: f(x, y) = x² + y²\n  goal:    勾配 (∂f/∂x, ∂f/∂y) = (2x, 2y) は", out)
        code, out, _ = run("lesson", "check", lessons)
        self.assertIn("  title:   Steepest descent on f(x, y) = x² + y² / 最急降下法: f(x, y) = x² + y²\n", out)
        self.assertNotIn("goal:", out)

    def test_usage(self):
        self.assertEqual(run("lesson", "chek", "x")[0], 2)
        self.assertIn("kobai lesson knows only check, not 'chek'", run("lesson", "chek", "x")[2])
        self.assertIn("needs a FILE", run("lesson", "check")[2])
        code, out, _ = run("lesson", "--help")
        self.assertEqual(code, 0)
        self.assertIn("docs/lessons.md", out)


class Hostile(unittest.TestCase):
    """Input written to break things: nothing crashes, nothing freezes, every message is true and bounded."""

    def assertBad(self, args, *fragments, limit=600):
        code, out, err = run(*args)
        self.assertEqual(code, 2, (args[:2], out[:200], err[:500]))
        self.assertEqual(out, "")
        self.assertLess(len(err), limit, err[:500])
        for f in fragments:
            self.assertIn(f, err)
        self.assertNotIn("json.exception", err)
        return err

    def test_long_chains_are_refused_with_a_message(self):
        for command in ("eval", "trace", "check"):
            for term, op in (("x", "+"), ("x", "*"), ("x", "-"), ("x", "/"), ("x", "@"), ("1", "+"), ("2.5", "*")):
                for n in (2001, 20000):
                    src = chain(term, op, n)
                    if len(src) > 100000:
                        continue
                    self.assertBad([command, src, "--at", "x=1"],
                                   "this statement has more than 2000 operators: split it into statements (a graph may have up to 5000 nodes)")
        statements = "; ".join(f"y{i} = y{i - 1} + x" if i else "y0 = x" for i in range(5100))
        self.assertBad(["eval", statements, "--at", "x=1"], "the graph is too large (more than 5000 nodes)")

    def test_the_longest_chain_runs(self):
        for command in ("eval", "trace", "check"):
            code, out, err = run(command, chain("x", "+", 1999), "--at", "x=1")
            self.assertEqual(code, 0, err[:300])
        code, out, _ = run("eval", chain("x", "+", 1999), "--at", "x=1", "--json")
        self.assertEqual(json.loads(out)["grads"]["x"], 2000)
        # 5000 nodes as statements: x and 4999 sums
        statements = "; ".join(f"y{i} = y{i - 1} + x" if i else "y0 = x + x" for i in range(4999))
        code, out, err = run("eval", statements, "--at", "x=1", "--json")
        self.assertEqual(code, 0, err[:300])
        self.assertEqual(json.loads(out)["grads"]["x"], 5000)

    def test_long_text_stays_fast_and_small(self):
        # a 60,000-digit number followed by a long chain: each node's label keeps only its two ends
        src = "y = " + "1" * 400 + "".join("+x" for _ in range(1990))
        code, out, err = run("trace", src, "--at", "x=1")
        self.assertEqual(code, 2)
        self.assertIn("is too large for a double", err)
        src = "y = " + "1." + "1" * 60000 + "".join("+x" for _ in range(1990))
        code, out, err = run("trace", src, "--at", "x=1")
        self.assertEqual(code, 0, err[:300])
        self.assertLess(len(out), 5_000_000)

    def test_messages_quote_at_most_a_window(self):
        self.assertBad(["eval", "y = " + "x + " * 20000 + "$", "--at", "x=1"], "unexpected character '$'", "…")
        self.assertBad(["eval", "y = " + "f" * 50000 + "(x)", "--at", "x=1"], "is too long (50000 characters; at most 64)")
        self.assertBad(["eval", "y = x", "--at", "x=" + "[" * 3 + "1," * 30000], "is not a value")
        self.assertBad(["eval", "y = x", "--at", "x" * 50000 + "=1"], "but the expression has no input of that name")
        self.assertBad(["eval", "--lesson", "l" * 50000], "unknown lesson 'lll")
        self.assertBad(["eval", "y = x", "--" + "w" * 50000], "unknown option '--www")
        self.assertBad(["eval", "y = x", "z" * 50000], "more than one expression given")
        self.assertBad(["quiz", "--count", "9" * 50000], "--count takes a whole number below 1000000000, not '999")
        self.assertBad(["trace", "--lesson", "apple", "--lang", "f" * 50000], "unknown language 'fff")

    def test_numbers_are_reported_as_typed(self):
        self.assertBad(["quiz", "--count", "9999999999999999999"], "--count takes a whole number below 1000000000")
        self.assertBad(["quiz", "--count", "3000000000"], "--count takes a whole number below 1000000000, not '3000000000'")
        self.assertBad(["quiz", "--count", "999999999"], "the number of questions must be from 1 to 500, not 999999999")
        self.assertBad(["quiz", "--difficulty", "12345678901"], "--difficulty takes a whole number below 1000000000")
        self.assertBad(["eval", "y = x", "--at", "x=1" + "." * 50000], "is not a value")

    def test_non_finite_results_say_why(self):
        for args, warnings in (
                (["y = x^0.5", "--at", "x=-4"], ["a negative number to a non-integer power is not a real number: NaN"]),
                (["y = x^-1", "--at", "x=0"], ["division by zero gives inf or NaN"]),
                (["y = x^0.5", "--at", "x=0"], ["the local derivative divides by zero here"]),
                (["y = log(x)", "--at", "x=1e-320"], ["overflow: the gradient is too large for a double"]),
                (["y = exp(x)", "--at", "x=1000"], ["overflow: the result is too large for a double and became inf"])):
            code, out, _ = run("trace", *args)
            self.assertEqual(code, 0)
            for w in warnings:
                self.assertIn("warning: " + w, out, args)
            if "x=-4" in args:
                self.assertNotIn("overflow", out)
        code, out, _ = run("eval", "y = x^0", "--at", "x=0", "--json")
        self.assertEqual(json.loads(out)["grads"]["x"], 0)  # a constant: not NaN

    def test_softmax_with_loss_labels_must_sum_to_one(self):
        a = "a=[[0.3, 2.9, 4.0]]"
        for t, total in (("[[0, 0, 0]]", "0"), ("[[0, 1, 1]]", "2"), ("[[0.5, 0.2, 0.2]]", "0.9")):
            for command in ("eval", "trace", "check"):
                self.assertBad([command, "L = softmax_with_loss(a, t)", "--at", a, "--at", "t=" + t],
                               "takes labels t whose rows each sum to 1", "row 1 of t sums to " + total)
        code, out, _ = run("eval", "L = softmax_with_loss(a, t)", "--at", a, "--at", "t=[[0.2, 0.3, 0.5]]", "--json")
        self.assertEqual(code, 0)

    def test_names(self):
        code, out, _ = run("eval", "a = x", "--at", "x=1")
        self.assertEqual(code, 0)
        self.assertIn("a = 1", out)
        self.assertIn("∂a/∂x = 1", out)
        self.assertBad(["eval", "x = x + 1", "--at", "x=1"], "'x' is used before it is assigned (on line 1), and also given a value")
        self.assertBad(["eval", "u = x*2; x = 3; y = u + x", "--at", "x=1"], "'x' is used before it is assigned")
        self.assertBad(["eval", "u = 2; x = 3; y = u + x", "--at", "x=1"], "'x' is assigned here and also given a value")

    def test_lesson_files(self):
        head = '{"id": "x", "title": "t", "goal": "g", '
        cases = (
            (head + '"expr": "y = x", "inputs": {"x": 1e400}}', "a number is too large for a double"),
            (head + '\n"expr": "y = x", "inputs": {"x": [1, 2e999]}}', "(line 2, column 42): a number is too large"),
            (head + '"expr": "y = x", "param": ["x"]}', 'unknown key "param"'),
            (head + '"expr": "y = x", "inputs": {"x": 1}, "params": ["x"]}', '"params" need an "lr"'),
            (head + '"expr": "y = x", "inputs": {"x": 1}, "params": ["x"], "lr": -1}', '"lr" must be greater than 0, not -1'),
            (head + '"expr": "y = x", "inputs": {"x": 1}, "lr": 0.1}', '"lr" needs "params"'),
            (head + '"expr": "y = x", "inputs": {"x": 1}, "params": ["z"], "lr": 0.1}', "parameter 'z' is not an input"),
            (head + '\n"expr": "y = x" "inputs": {}}', "is not valid JSON (line 2, column 24): unexpected text"),
            ('{"id": "x", "title": "t"', "is not valid JSON: it ends too early"),
            ("", "is not valid JSON: it is empty"),
        )
        for text, message in cases:
            name = lesson_file(text)
            try:
                for command in ("trace", "eval", "check") if "parameter" not in message else ("trace",):
                    self.assertBad([command, "--lesson-file", name], os.path.basename(name), message)
            finally:
                os.unlink(name)
        with tempfile.TemporaryDirectory() as d:
            self.assertBad(["trace", "--lesson-file", d], "is a directory, not a lesson file")

    def test_lesson_expr_errors_point_into_the_file(self):
        text = ('{"id": "x", "title": "t", "goal": "g",\n "expr": [\n  "u = x * 2",\n\n  "y = (u"\n ],\n'
                ' "inputs": {"x": 1}}')
        name = lesson_file(text)
        try:
            err = self.assertBad(["trace", "--lesson-file", name],
                                 name + ', line 5: "expr" line 2, column 7: expected \')\' to close the \'(\' at line 2, column 5',
                                 "  y = (u\n        ^")
        finally:
            os.unlink(name)
        name = lesson_file('{"id": "x", "title": "t", "goal": "g",\n\n "expr": "u = x * 2\\ny = u $ 2", "inputs": {"x": 1}}')
        try:
            self.assertBad(["eval", "--lesson-file", name], name + ', line 3: "expr" line 2, column 7: unexpected character \'$\'')
        finally:
            os.unlink(name)


class Activations(unittest.TestCase):
    BOOK = ["activations", "--act", "sigmoid", "--init", "std=1", "--layers", "5", "--units", "100", "--samples", "1000", "--seed", "1"]

    def json_of(self, *args):
        code, out, err = run(*args, "--json")
        self.assertEqual(code, 0, err)
        return json.loads(out)["layers"]

    def test_json_contract(self):
        layers = self.json_of(*self.BOOK)
        self.assertEqual(len(layers), 5)
        for layer in layers:
            self.assertEqual(set(layer), {"activations", "gradients"})
            for h, values in ((layer["activations"], 1000 * 100), (layer["gradients"], 100 * 100)):
                self.assertEqual(set(h), {"mean", "std", "edges", "counts"})
                self.assertEqual(len(h["edges"]), 31)
                self.assertEqual(len(h["counts"]), 30)
                self.assertEqual(sum(h["counts"]), values)
                self.assertEqual(h["edges"], sorted(h["edges"]))
            a = layer["activations"]
            self.assertEqual((a["edges"][0], a["edges"][-1]), (0, 1))
            self.assertGreater((a["counts"][0] + a["counts"][-1]) / 100000, 0.5)  # Figure 6-10: piled at 0 and 1
        self.assertLess(layers[0]["gradients"]["std"], layers[-1]["gradients"]["std"] / 5)  # vanishing toward layer 1

    def test_settings_change_the_histograms(self):
        book = self.json_of(*self.BOOK)
        for change in (["--init", "std=0.01"], ["--init", "xavier"], ["--batchnorm"], ["--seed", "2"]):
            with self.subTest(change=change):
                other = self.json_of(*self.BOOK, *change)
                self.assertNotEqual(other[2]["activations"]["counts"], book[2]["activations"]["counts"])
        self.assertEqual(self.json_of(*self.BOOK), book)  # the same seed, the same numbers
        zero = self.json_of("activations", "--init", "zero", "--act", "tanh", "--layers", "3", "--bins", "10")
        self.assertEqual(len(zero), 3)
        for layer in zero:
            self.assertEqual(layer["activations"]["std"], 0)
            self.assertEqual(max(layer["activations"]["counts"]), 100000)
            self.assertEqual(len(layer["activations"]["counts"]), 10)
        he = self.json_of("activations", "--act", "relu", "--init", "he")
        stds = [l["activations"]["std"] for l in he]
        self.assertLess(max(stds) / min(stds), 1.25)  # He keeps the spread

    def test_summary(self):
        code, out, _ = run(*self.BOOK)
        self.assertEqual(code, 0)
        self.assertIn("1000 samples of 100 features, 5 hidden layers of 100 units, sigmoid, weights std=1, seed 1", out)
        self.assertIn("layer 5\n  activations  mean ", out)
        self.assertIn("∂L/∂W", out)
        code, out, _ = run("activations", "--help")
        self.assertEqual(code, 0)
        self.assertIn("example", out)

    def test_bad_values(self):
        for args, msg in ((["--init", "std=-1"], "the weights' standard deviation must be above 0 and at most 10, not -1"),
                          (["--init", "std=x"], "std= takes a number, not 'x'"),
                          (["--init", "gauss"], "the initial weights are std=S"),
                          (["--layers", "0"], "the number of hidden layers must be 1 to 10, not 0"),
                          (["--layers", "11"], "the number of hidden layers must be 1 to 10, not 11"),
                          (["--layers", "-1"], "--layers takes a whole number, not '-1'"),
                          (["--units", "100000"], "the units per layer must be 1 to 256, not 100000"),
                          (["--samples", "99999999999"], "--samples takes a whole number below 1000000000"),
                          (["--samples", "2001"], "the number of samples must be 1 to 2000, not 2001"),
                          (["--bins", "0"], "the number of bins must be 1 to 200, not 0"),
                          (["--act", "softplus"], "--act takes relu, sigmoid, tanh, linear, not 'softplus'"),
                          (["--seed", "abc"], "--seed must be a whole number"),
                          (["--layers"], "--layers needs a value"),
                          (["--wat"], "unknown option '--wat' for activations")):
            with self.subTest(args=args):
                code, out, err = run("activations", *args)
                self.assertEqual(code, 2, err)
                self.assertEqual(out, "")
                self.assertIn(msg, err)

    def test_the_largest_run_allowed_is_bounded(self):
        code, out, err = run("activations", "--layers", "10", "--units", "256", "--features", "256", "--samples", "2000",
                             "--act", "linear", "--init", "std=10", "--json")
        self.assertEqual(code, 0, err)  # no overflow at the largest weights either
        self.assertEqual(len(json.loads(out)["layers"]), 10)


class Compare(unittest.TestCase):
    """kobai compare: the playground's Compare as CSV (the doctest compares the runs with train_epoch itself)."""

    def csv(self, *args):
        code, out, err = run("compare", *args, "--csv")
        self.assertEqual(code, 0, err)
        lines = out.splitlines()
        self.assertEqual(lines[0], "run,label,epoch,train_loss,test_loss,train_accuracy,test_accuracy")
        return [line.split(",") for line in lines[1:]]

    def test_one_row_per_epoch_and_run(self):
        rows = self.csv("--preset", "fig6-9", "--epochs", "2")
        self.assertEqual(len(rows), 4 * 3)
        self.assertEqual([r[0] for r in rows], [str(i) for i in (1, 2, 3, 4) for _ in range(3)])
        self.assertEqual([r[2] for r in rows], ["0", "1", "2"] * 4)
        self.assertEqual(sorted({r[1] for r in rows}), ["AdaGrad lr 0.01", "Adam lr 0.001", "Momentum lr 0.01", "SGD lr 0.01"])
        for r in rows:
            losses, accuracies = [float(x) for x in r[3:5]], [float(x) for x in r[5:7]]
            self.assertTrue(all(0 < x < 100 for x in losses), r)
            self.assertTrue(all(0 <= x <= 1 for x in accuracies), r)
        epoch0 = {tuple(r[3:]) for r in rows if r[2] == "0"}
        self.assertEqual(len(epoch0), 1, "the four runs start from the same weights")
        epoch2 = {tuple(r[3:]) for r in rows if r[2] == "2"}
        self.assertEqual(len(epoch2), 4, "and the optimizers take them apart")
        adam = [r for r in rows if r[1] == "Adam lr 0.001"]
        self.assertLess(float(adam[2][3]), float(adam[0][3]), "Adam's training loss falls")

    def test_the_same_runs_however_long_and_the_summary_agrees(self):
        two, three = self.csv("--preset", "fig6-23", "--epochs", "2"), self.csv("--preset", "fig6-23", "--epochs", "3")
        self.assertEqual(two, [r for r in three if r[2] != "3"])
        self.assertNotEqual(self.csv("--preset", "fig6-23", "--epochs", "2", "--seed", "2"), two)
        code, out, err = run("compare", "--preset", "fig6-23", "--epochs", "3")
        self.assertEqual(code, 0, err)
        self.assertIn("Dropout (the book's Figure 6-23), 3 epochs on the digits, seed 1", out)
        for r in three:
            if r[2] == "3":
                self.assertIn(f"{r[1]}", out)
                self.assertIn(f"loss train {r[3]} test {r[4]}", out)

    def test_bad_input(self):
        for args, msg in ((["--preset", "fig6-99"], "no preset is called 'fig6-99'; the presets: fig6-9, fig6-15, fig6-19, fig6-20, fig6-23"),
                          ([], "compare needs --preset NAME, one of fig6-9, fig6-15, fig6-19, fig6-20, fig6-23"),
                          (["--preset", "fig6-9", "--epochs", "0"], "--epochs must be 1 to 1000, not 0"),
                          (["--preset", "fig6-9", "--epochs", "x"], "--epochs takes a whole number, not 'x'"),
                          (["--preset", "fig6-9", "--data", "/nonexistent/digits.csv"], "cannot read the digits at '/nonexistent/digits.csv'"),
                          (["--preset"], "--preset needs a value"),
                          (["--wat"], "unknown option '--wat' for compare")):
            with self.subTest(args=args):
                code, out, err = run("compare", *args)
                self.assertEqual(code, 2, err)
                self.assertEqual(out, "")
                self.assertIn(msg, err)

    def test_help(self):
        code, out, _ = run("--help")
        self.assertIn("kobai compare --preset fig6-9", out)
        code, out, err = run("compare", "--help")
        self.assertEqual(code, 0, err)
        for key in ("fig6-9", "fig6-15", "fig6-19", "fig6-20", "fig6-23"):
            self.assertIn(key, out)
        self.assertIn("not the book's MNIST", out)


class Rnn(unittest.TestCase):
    """kobai rnn: the course's binary-addition exercise (the doctest checks the gradients and the presets' figures)."""

    def json_run(self, *args):
        code, out, err = run("rnn", *args, "--json")
        self.assertEqual(code, 0, err)
        return json.loads(out)

    def test_preset_2_reaches_every_held_out_sum(self):
        r = self.json_run("--preset", "2", "--iterations", "10000", "--seed", "1")
        self.assertEqual(r["settings"], {"cell": "rnn", "hidden": 16, "activation": "sigmoid", "init": "xavier", "lr": 0.1, "clip": 0,
                                         "bits": 8, "seed": 1, "iterations": 10000, "preset": 2})
        self.assertEqual([p["iteration"] for p in r["points"]], list(range(100, 10001, 100)))
        self.assertTrue(all(0 <= p["accuracy"] <= 1 and 0 <= p["loss"] <= 4 for p in r["points"]))  # ½Σ over 8 bits: at most 4
        self.assertIsNotNone(r["reached"])
        first = next(p["iteration"] for p in r["points"] if p["accuracy"] == 1)
        self.assertEqual(r["reached"], first)
        self.assertLess(r["points"][-1]["loss"], r["points"][0]["loss"] / 10)
        self.assertIsNone(r["stopped"])

    def test_the_same_run_however_long_and_flags_override_the_preset(self):
        short, long = self.json_run("--preset", "1", "--iterations", "250"), self.json_run("--preset", "1", "--iterations", "300")
        self.assertEqual([p["iteration"] for p in short["points"]], [100, 200, 250])  # and the last, when not a multiple of 100
        self.assertEqual(short["points"][:2], long["points"][:2])
        self.assertNotEqual(self.json_run("--preset", "1", "--iterations", "200", "--seed", "2")["points"], long["points"][:2])
        r = self.json_run("--cell", "lstm", "--preset", "7", "--hidden", "4", "--clip", "1", "--iterations", "100")
        self.assertEqual((r["settings"]["cell"], r["settings"]["hidden"], r["settings"]["lr"], r["settings"]["clip"]), ("lstm", 4, 0.2, 1))
        r = self.json_run("--cell", "gru", "--bits", "12", "--init", "he", "--activation", "tanh", "--lr", "0.3", "--iterations", "100")
        self.assertEqual(r["settings"]["bits"], 12)

    def test_a_run_that_overflows_stops_and_says_so(self):
        r = self.json_run("--activation", "linear", "--hidden", "128", "--bits", "64", "--iterations", "100")
        self.assertEqual(r["stopped"]["iteration"], 1)
        self.assertIn("NaN or inf: the step was not taken", r["stopped"]["message"])
        code, out, err = run("rnn", "--activation", "linear", "--hidden", "128", "--bits", "64", "--iterations", "100")
        self.assertEqual(code, 0, err)
        self.assertIn("! stopped: iteration 1's loss or gradient was NaN or inf", out)

    def test_text(self):
        code, out, err = run("rnn", "--preset", "2", "--iterations", "200")
        self.assertEqual(code, 0, err)
        self.assertIn("binary addition: rnn, 16 hidden, sigmoid, weights xavier, η 0.1, clipping off, 8 bits, seed 1", out)
        self.assertIn("preset 2: sigmoid, Xavier", out)
        self.assertIn("the notes: about 4,000 iterations", out)
        self.assertIn("kobai (seed 1): all 100 held-out sums right after", out)  # the table's figure, for these very settings
        code, out, err = run("rnn", "--preset", "2", "--iterations", "200", "--seed", "3")
        self.assertNotIn("kobai (seed 1)", out)

    def test_bad_input(self):
        for args, msg in ((["--preset", "8"], "--preset takes a number from 1 to 7 (the notes' runs), not '8'"),
                          (["--cell", "cnn"], "--cell takes rnn, lstm, gru, not 'cnn'"),
                          (["--activation", "gelu"], "--activation takes relu, sigmoid, tanh, linear, not 'gelu'"),
                          (["--init", "zero"], "--init takes normal, xavier, he, not 'zero'"),
                          (["--hidden", "129"], "--hidden must be from 1 to 128, not 129"),
                          (["--hidden", "0"], "--hidden must be from 1 to 128, not 0"),
                          (["--bits", "65"], "--bits must be from 2 to 64, not 65"),
                          (["--iterations", "1000001"], "--iterations must be from 1 to 1000000, not 1000001"),
                          (["--iterations", "ten"], "--iterations takes a whole number, not 'ten'"),
                          (["--lr", "0"], "--lr must be above 0 and at most 10, not 0"),
                          (["--lr", "fast"], "--lr takes a number, not 'fast'"),
                          (["--clip", "-1"], "--clip must be 0 (off) or above, not -1"),
                          (["--seed", "-1"], "--seed"),
                          (["--hidden"], "--hidden needs a value"),
                          (["--wat"], "unknown option '--wat' for rnn")):
            with self.subTest(args=args):
                code, out, err = run("rnn", *args)
                self.assertEqual(code, 2, err)
                self.assertEqual(out, "")
                self.assertIn(msg, err)

    def test_help(self):
        code, out, _ = run("--help")
        self.assertIn("kobai rnn --preset 2", out)
        code, out, err = run("rnn", "--help")
        self.assertEqual(code, 0, err)
        for n in range(1, 8):
            self.assertIn(f"\n  {n}  ", out)
        self.assertIn("the notes: about 6,000 iterations", out)
        self.assertIn("kobai (seed 1):", out)


class Shapes(unittest.TestCase):
    """kobai shapes: the book's SimpleConvNet as a table and as JSON; a layer that does not fit, refused."""
    BOOK = "conv(30,5,5,stride=1,pad=0); pool(2,2,stride=2); affine(100); affine(10)"

    def test_table(self):
        code, out, err = run("shapes", self.BOOK, "--input", "1x28x28")
        self.assertEqual(code, 0, err)
        lines = out.splitlines()
        self.assertEqual(lines[0], "input 1x28x28")
        self.assertRegex(out, r"\n 1  conv\(30,5,5,stride=1,pad=0\) +30x24x24 +780  O = \(H \+ 2P − F\)/S \+ 1 = \(28 \+ 2·0 − 5\)/1 \+ 1 = 24\n")
        self.assertIn("FN·C·FH·FW + FN = 30·1·5·5 + 30 = 780", out)
        self.assertRegex(out, r"\n 2  pool\(2,2,stride=2\) +30x12x12 +0  O = \(H \+ 2P − F\)/S \+ 1 = \(24 \+ 2·0 − 2\)/2 \+ 1 = 12\n")
        self.assertRegex(out, r"\n 3  affine\(100\) +100 +432,100  C·H·W = 30·12·12 = 4,320 → M = 100\n")
        self.assertIn("in·M + M = 4320·100 + 100 = 432,100", out)
        self.assertRegex(out, r"\n 4  affine\(10\) +10 +1,010  100 → M = 10\n")
        self.assertEqual(lines[-1], "total parameters: 780 + 432,100 + 1,010 = 433,890")
        # The columns line up: each row's output starts where the header's does.
        at = lines[2].index("output")
        for row in (l for l in lines if l[:3].strip().isdigit()):
            self.assertNotEqual(row[at], " ", row)
            self.assertEqual(row[at - 1], " ", row)

    def test_json(self):
        code, out, err = run("shapes", self.BOOK, "--input", "1x28x28", "--json")
        self.assertEqual(code, 0, err)
        j = json.loads(out)
        self.assertEqual(set(j), {"input", "layers", "total", "total_formula"})
        self.assertEqual(j["input"], [1, 28, 28])
        self.assertEqual([l["output"] for l in j["layers"]], [[30, 24, 24], [30, 12, 12], [100], [10]])
        self.assertEqual([l["parameters"] for l in j["layers"]], [780, 0, 432100, 1010])
        self.assertEqual([l["kind"] for l in j["layers"]], ["conv", "pool", "affine", "affine"])
        self.assertEqual(j["layers"][1]["input"], [30, 24, 24])
        self.assertEqual(j["layers"][0]["formula"], "O = (H + 2P − F)/S + 1 = (28 + 2·0 − 5)/1 + 1 = 24")
        self.assertEqual(set(j["layers"][0]), {"index", "layer", "kind", "input", "output", "formula", "parameters", "parameters_formula"})
        self.assertEqual(j["total"], 433890)
        self.assertEqual(j["total_formula"], "780 + 432,100 + 1,010 = 433,890")

    def test_refused_layer(self):
        code, out, err = run("shapes", "conv(30,5,5); pool(3,3,stride=2); affine(10)", "--input", "1x28x28")
        self.assertEqual(code, 2)
        self.assertEqual(out, "")
        self.assertIn("line 1, column 15: layer 2 'pool(3,3,stride=2)': (24 + 2·0 − 3)/2 = 21/2 is not a whole number: "
                      "the windows do not fit the height (24) evenly", err)
        # The caret under the layer.
        lines = err.splitlines()
        self.assertEqual(lines[1].index("pool"), lines[2].index("^"))
        code, out, err = run("shapes", "conv(30,5,5); pool(3,3,stride=2)", "--input", "1x28x28", "--json")
        self.assertEqual((code, out), (2, ""))

    def test_bad_input(self):
        for args, msg in ((["conv(30, 5)", "--input", "1x28x28"], "column 1: conv needs FW (the filter's width): conv(FN, FH, FW, stride=1, pad=0)"),
                          (["maxpool(2,2)", "--input", "1x28x28"], "unknown layer 'maxpool'; the layers are conv, pool, avgpool, relu, flatten, affine"),
                          (["conv(30,5,5,strides=2)", "--input", "1x28x28"], "conv has no argument 'strides'; its arguments are FN, FH, FW, stride, pad"),
                          (["affine(2.5)", "--input", "1x28x28"], "column 8: affine's M takes a whole number from 1 to 4,096, not '2.5'"),
                          (["relu", "--input", "1x0x28"], "--input, column 3: the input's height H takes a whole number from 1 to 4,096, not '0'"),
                          (["affine(4096)", "--input", "1x4096x4096"], "68,719,480,832 parameters, more than 2,147,483,647"),
                          (["relu"], "shapes needs --input CxHxW"),
                          (["--input", "1x28x28"], "shapes needs LAYERS"),
                          (["relu", "relu", "--input", "1x28x28"], "shapes takes one LAYERS text"),
                          (["relu", "--input"], "--input needs a value"),
                          (["relu", "--input", "1x28x28", "--wat"], "unknown option '--wat' for shapes")):
            with self.subTest(args=args):
                code, out, err = run("shapes", *args)
                self.assertEqual(code, 2, err)
                self.assertEqual(out, "")
                self.assertIn(msg, err)

    def test_help(self):
        code, out, _ = run("--help")
        self.assertIn("kobai shapes 'conv(30,5,5); pool(2,2)' --input 1x28x28", out)
        code, out, err = run("shapes", "--help")
        self.assertEqual(code, 0, err)
        self.assertIn("usage: kobai shapes LAYERS --input CxHxW [--json]", out)
        # The help's example is the book's network, and runs.
        example = out.split("example (the book's SimpleConvNet):\n", 1)[1].strip()
        code, out, err = run(*shlex.split(example)[1:])
        self.assertEqual(code, 0, err)
        self.assertIn("433,890", out)


class Train(unittest.TestCase):
    def test_cnn_learns_the_digits(self):
        code, out, err = run("train", "--cnn", "--epochs", "3", "--json")
        self.assertEqual(code, 0, err)
        r = json.loads(out)
        self.assertEqual(r["layers"], "Convolution → Relu → Pooling → Affine → Relu → Affine → SoftmaxWithLoss")
        # 16 filters of 3x3 and their biases; 256 → 100 and 100 → 10 with biases
        self.assertEqual(r["parameters"], 16 * 9 + 16 + 256 * 100 + 100 + 100 * 10 + 10)
        epochs = r["epochs"]
        self.assertEqual([e["epoch"] for e in epochs], [0, 1, 2, 3])
        self.assertLess(epochs[-1]["train_loss"], epochs[0]["train_loss"] / 2)
        self.assertGreater(epochs[-1]["test_accuracy"], 0.85)

    def test_text_and_the_mlp(self):
        code, out, err = run("train", "--epochs", "1", "--hidden", "50")
        self.assertEqual(code, 0, err)
        self.assertIn("MLP on the digits (1438 training and 359 test rows, seed 1): Affine → Relu → Affine → SoftmaxWithLoss, 3760 parameters", out)
        self.assertRegex(out, r"epoch    1  loss train [0-9.]+ test [0-9.]+  accuracy train [0-9.]+% test [0-9.]+%")
        code, out, err = run("train", "--cnn", "--filters", "8", "--filter-size", "5", "--pad", "2", "--epochs", "1")
        self.assertEqual(code, 0, err)
        self.assertIn("after Convolution: 8 maps of 8x8", out)
        self.assertIn("after Pooling:     8 maps of 4x4", out)

    def test_bad_values_are_refused_with_the_arithmetic(self):
        for args, msg in ((["--cnn", "--stride", "2", "--pad", "0"],
                           "--filter-size 3 --stride 2 --pad 0 do not fit the 8x8 images: conv stage 1: (8 + 2·0 − 3)/2 = 5/2 is not a whole "
                           "number: the windows do not fit the height (8) evenly"),
                          (["--cnn", "--filter-size", "9"], "conv stage 1: the window's size must be from 1 to 8 (its input is 1x8x8), not 9"),
                          (["--cnn", "--pad", "3"], "the padding must be from 0 to 2 (less than the window's size), not 3"),
                          (["--cnn", "--pool", "3"], "--pool 3 --pool-stride 2 do not fit the filters' maps: conv stage 1's pooling: (8 + 2·0 − 3)/2 = 5/2"),
                          (["--cnn", "--filters", "33"], "--filters 33: conv stage 1 has 1 to 32 filters, not 33"),
                          (["--cnn", "--filters", "-1"], "--filters takes a whole number, not '-1'"),
                          (["--filters", "8"], "--filters sets the CNN's conv stage: add --cnn"),
                          (["--epochs", "0"], "--epochs must be 1 to 1000, not 0"),
                          (["--hidden", "100,0"], "hidden layer 2 must have 1 to 256 units, not 0"),
                          (["--cnn", "--stride"], "--stride needs a value"),
                          (["--cnn", "--wat"], "unknown option '--wat' for train"),
                          (["--data", "/nonexistent.csv"], "cannot read the digits at '/nonexistent.csv'")):
            with self.subTest(args=args):
                code, out, err = run("train", *args)
                self.assertEqual(code, 2, err)
                self.assertEqual(out, "")
                self.assertIn(msg, err)

    def test_help(self):
        code, out, _ = run("--help")
        self.assertIn("kobai train --cnn --filters 8 --epochs 10", out)
        code, out, err = run("train", "--help")
        self.assertEqual(code, 0, err)
        self.assertIn("usage: kobai train [--cnn] [--filters N] [--filter-size F] [--stride S] [--pad P] [--pool K] [--pool-stride K]", out)
        self.assertIn("O = (H + 2P − F)/S + 1", out)


if __name__ == "__main__":
    unittest.main(verbosity=1)
