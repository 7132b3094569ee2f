// A question sheet to print: the questions with room to write, then the answer key on a page of its own (A4).
#include "quiz.h"

#include "bank.h"

#include <string>

namespace kobai {

namespace {

std::string escape(const std::string& s) {  // prompts hold <, > and & (x < 0, a & b): text, never markup
  std::string out;
  for (char c : s) out += c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '&' ? "&amp;" : c == '"' ? "&quot;" : std::string(1, c);
  return out;
}

// Printed, not shown: A4 with margins, a question never split across pages, the key from a new page.
const char* kSheetStyle = R"(@page { size: A4; margin: 15mm 16mm; }
body { font-family: "DejaVu Sans", "IPAexGothic", sans-serif; font-size: 10.5pt; line-height: 1.45; color: #000;
       max-width: 178mm; margin: 0 auto; }
h1 { font-size: 15pt; margin: 0; } h2 { font-size: 13pt; }
.about { margin: 1mm 0 3mm; color: #333; }
.fields { display: flex; gap: 8mm; margin-bottom: 5mm; }
.fields span { flex: 1; border-bottom: 1px solid #000; padding-top: 5mm; }
.question { break-inside: avoid; margin: 0 0 4mm; }
.prompt { white-space: pre-wrap; margin: 0; }
.choices { margin: 1mm 0; padding-left: 7mm; list-style: upper-alpha; }
.write { border: 1px solid #777; height: 11mm; margin-top: 1.5mm; padding: 0.5mm 2mm; color: #777; font-size: 8.5pt; }
.key { break-before: page; }
.key li { break-inside: avoid; margin-bottom: 2mm; }
.working { white-space: pre-wrap; font-size: 9pt; color: #333; }
)";

}  // namespace

std::string quiz_html(const std::vector<Question>& qs, const QuizOptions& o, Lang l) {
  const bool ja = l == Lang::ja;
  std::string topics;
  for (Topic t : o.asked_topics()) topics += (topics.empty() ? "" : ", ") + std::string(topic_name(t));
  const std::string title = sheet_title(l);
  const std::string about = "seed " + std::to_string(o.seed) + " · " + (ja ? "難易度 " : "difficulty ") + std::to_string(o.difficulty) +
                            " · " + (ja ? "トピック: " : "topics: ") + topics + " · " + std::to_string(qs.size()) + (ja ? " 問" : " questions") +
                            (o.bank && !o.bank->name.empty() ? " · " + o.bank->name : "");
  std::string out = std::string("<!doctype html>\n<html lang=\"") + (ja ? "ja" : "en") + "\">\n<meta charset=\"utf-8\">\n<title>" +
                    escape(title) + " (seed " + std::to_string(o.seed) + ")</title>\n<style>\n" + kSheetStyle + "</style>\n<body>\n";
  out += "<h1>" + escape(title) + "</h1>\n<p class=\"about\">" + escape(about) + "</p>\n";
  out += std::string("<div class=\"fields\"><span>") + (ja ? "名前" : "Name") + "</span><span>" + (ja ? "日付" : "Date") + "</span><span>" +
         (ja ? "得点" : "Score") + " &nbsp;&nbsp;&nbsp;&nbsp; / " + std::to_string(qs.size()) + "</span></div>\n<ol class=\"sheet\">\n";
  for (const Question& q : qs) {
    out += "<li class=\"question\"><p class=\"prompt\">" + escape(q.prompt(l)) + "</p>\n";
    if (q.kind == AnswerKind::Choice) {
      out += "<ol class=\"choices\">";
      for (size_t c = 0; c < q.choices.size(); ++c) out += "<li>" + escape(q.choice(c, l)) + "</li>";
      out += "</ol>\n";
    }
    out += std::string("<div class=\"write\">") + (ja ? "答え" : "Answer") + "</div></li>\n";
  }
  out += std::string("</ol>\n<section class=\"key\">\n<h2>") + (ja ? "解答" : "Answer key") + "</h2>\n<p class=\"about\">" + escape(about) +
         "</p>\n<ol>\n";
  for (const Question& q : qs) {
    out += "<li><b>" + escape(q.answer_text());
    if (q.kind == AnswerKind::Choice) out += ") " + escape(q.choice(size_t(q.correct), l));
    out += "</b> — " + escape(q.hint(l));
    if (!q.working(l).empty()) out += "<div class=\"working\">" + escape(q.working(l)) + "</div>";
    if (!q.source.empty()) out += "<div class=\"working\">" + std::string(ja ? "出典: " : "Source: ") + escape(q.source) + "</div>";
    out += "</li>\n";
  }
  return out + "</ol>\n</section>\n</body>\n</html>\n";
}

}  // namespace kobai
