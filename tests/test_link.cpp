// Shared links: what the URL hash carries, and the message a broken one gets.
#include "helpers.h"
#include "link.h"
#include "quiz.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace kobai;
using namespace kobai::test;

// A link whose one bad value is refused alone: the rest decodes, and the problem names the key.
static std::string refused(const std::string& hash) {
  PageLink l = decode_link(hash);
  REQUIRE(l.problems.size() == 1);
  return l.problems[0];
}

TEST_CASE("a link round-trips lesson, expression, inputs, iteration, step and language") {
  PageLink a;
  a.expr = "y = sigmoid(w*x) # note & more";
  a.inputs = {{"w", S(0.1)}, {"x", M({{1, -2}, {3.25, 4e-9}})}};
  a.iteration = 2, a.step = 7, a.lang = "ja";
  std::string s = encode_link(a);
  CHECK(s.find(' ') == std::string::npos);
  CHECK(s.find('#') == std::string::npos);
  PageLink b = decode_link("#" + s);
  CHECK(b.expr == a.expr);
  CHECK(b.lesson.empty());
  REQUIRE(b.inputs.size() == 2);
  CHECK(b.inputs[0].first == "w");
  CHECK(b.inputs[0].second == S(0.1));  // exactly: 17 significant digits
  CHECK(b.inputs[1].second == a.inputs[1].second);
  CHECK(b.iteration == 2);
  CHECK(b.step == 7);
  CHECK(b.lang == "ja");
  PageLink q = decode_link("#quiz=7");
  CHECK(q.quiz == 7);
  CHECK(q.lesson == "apple");
  CHECK(decode_link(encode_link(q)).quiz == 7);
  PageLink c = decode_link("lesson=apple&step=3");
  CHECK(c.lesson == "apple");
  CHECK(c.step == 3);
  CHECK(c.lang.empty());
}

TEST_CASE("a broken link says what is wrong") {
  CHECK_THROWS_WITH_AS(decode_link("#lesson=nope"), doctest::Contains("the link names an unknown lesson 'nope'; the lessons are: apple"), InputError);
  CHECK_THROWS_WITH_AS(decode_link("#step=3"), "the link names neither a lesson nor an expression", InputError);
  CHECK(decode_link("#present=1").lesson == "apple");  // a setting alone: the first lesson, so set
  CHECK(decode_link("#present=1").present);
  CHECK(refused("#lesson=apple&present=2") == "the link's present must be a number from 0 to 1, not '2'");
  CHECK_THROWS_WITH_AS(decode_link("#lesson=apple&expr=x"), "the link names both a lesson and an expression", InputError);
  CHECK(refused("#lesson=apple&step=-1") == "the link's step must be a whole number from 0 to 999999, not '-1'");
  // Restoring iteration k runs every step before it and keeps each for Back: a million would freeze the page.
  CHECK(decode_link("#lesson=two_layer_net&iter=1000").iteration == 1000);
  CHECK(refused("#lesson=two_layer_net&iter=999999") == "the link's iter must be a whole number from 0 to 1000, not '999999'");
  CHECK(refused("#lesson=apple&step=1e9").find("whole number") != std::string::npos);
  CHECK(refused("#lesson=apple&lang=fr") == "the link's language must be en or ja, not 'fr'");
  CHECK(refused("#lesson=apple&bogus=1") == "the link has an unknown key 'bogus'");
  CHECK_THROWS_WITH_AS(decode_link("#lesson=apple&junk"), "the link's part 'junk' has no '='", InputError);
  CHECK_THROWS_WITH_AS(decode_link("#expr=%zz"), "the link has a broken %-escape at character 1: '%zz'", InputError);
  CHECK_THROWS_WITH_AS(decode_link("#lesson=apple&in.x=%5B1"), doctest::Contains("the link's value for x is wrong"), InputError);
  CHECK_THROWS_AS(decode_link(std::string(200000, 'a')), InputError);
}

TEST_CASE("a quiz seed in a link has the command's range, 0 to 2^53 - 1, and 0 is a seed like any other") {
  PageLink none = decode_link("#lesson=apple");
  CHECK_FALSE(none.quiz.has_value());
  CHECK(encode_link(none).find("quiz") == std::string::npos);
  for (uint64_t seed : {uint64_t(0), uint64_t(1), kMaxSeed}) {
    PageLink l = decode_link("#quiz=" + std::to_string(seed));
    REQUIRE(l.quiz.has_value());
    CHECK(*l.quiz == seed);
    CHECK(decode_link(encode_link(l)).quiz == l.quiz);
  }
  for (const char* bad : {"9007199254740992", "-1", "x", "", "1.5", "99999999999999999999"})
    CHECK(refused(std::string("#lesson=apple&quiz=") + bad) ==
          std::string("the link's quiz seed must be a whole number from 0 to 9007199254740991, not '") + bad + "'");
}

TEST_CASE("a broken link's message quotes at most about 80 characters of it, wherever the fault is") {
  const std::string long_text(90000, 'q');
  for (const std::string& link : {"#lesson=" + long_text, "#lesson=apple&step=" + long_text, "#lesson=apple&lang=" + long_text,
                                  "#lesson=apple&" + long_text, "#lesson=apple&" + long_text + "=1", "#quiz=" + long_text,
                                  "#mode=playground&pg.act=" + long_text, "#mode=playground&pg.lr=" + long_text,
                                  "#expr=" + long_text + "%zz", "#lesson=apple&in.apple=" + long_text,
                                  "#lesson=apple&in.apple=[" + long_text + "]", "#lesson=apple&in." + long_text + "=[1"}) {
    INFO(link.substr(0, 40));
    std::string message;  // refused whole, or the one bad value refused alone
    try {
      PageLink l = decode_link(link);
      REQUIRE(l.problems.size() == 1);
      message = l.problems[0];
    } catch (const InputError& e) {
      message = e.what();
    }
    CHECK(message.size() < 400);
    CHECK(message.find("…") != std::string::npos);
  }
}

TEST_CASE("a link carries the playground's configuration and seed, and refuses bad settings") {
  PageLink a = decode_link("#mode=playground&pg.data=xor&pg.hidden=4,6&pg.act=relu&pg.opt=adam&pg.lr=0.005&pg.seed=3&pg.batchnorm=1");
  CHECK(a.mode == "playground");
  CHECK(a.lesson == "apple");
  CHECK(a.playground.data == DataKind::xor_);
  CHECK(a.playground.hidden == std::vector<int>{4, 6});
  CHECK(a.playground.activation == Activation::relu);
  CHECK(a.playground.optimizer == OptimizerKind::adam);
  CHECK(a.playground.lr == 0.005);
  CHECK(a.playground.seed == 3);
  CHECK(a.playground.batchnorm);
  PageLink b = decode_link(encode_link(a));
  CHECK(encode_link(b) == encode_link(a));
  PageLink d = decode_link("#mode=playground&pg.data=digits&pg.hidden=100&pg.loss=softmax");
  CHECK(d.playground.data == DataKind::digits);
  CHECK(d.playground.hidden == std::vector<int>{100});
  CHECK(decode_link(encode_link(d)).playground.data == DataKind::digits);
  CHECK(refused("#mode=playground&pg.data=moons") ==
        "the link's pg.data must be one of circle, xor, gauss, spiral, plane, multigauss, digits, iris, csv, not 'moons'");
  CHECK(refused("#mode=playground&pg.lr=fast") == "the link's pg.lr must be a number from 1e-09 to 1e+09, not 'fast'");
  CHECK(refused("#mode=playground&pg.hidden=8,200") == "the link's pg.hidden must be a number from 1 to 128, not '200'");
  CHECK(refused("#mode=playground&pg.batch=2.5") == "the link's pg.batch must be a whole number, not '2.5'");
  CHECK(refused("#mode=playground&pg.colour=red") == "the link has an unknown key 'pg.colour'");
  // The rest of the link still applies.
  PageLink e = decode_link("#mode=playground&pg.lr=fast&pg.seed=7&pg.act=relu");
  CHECK(e.playground.seed == 7);
  CHECK(e.playground.activation == Activation::relu);
  CHECK(e.playground.lr == PlaygroundSettings().lr);
}

// Every lab's table, entry by entry: a value other than the default for each setting, and values it refuses.
// Made from the entry's own kind and range, so a new entry (or a new lab's table) is tested without a line here.
// A value as the link writes it for this kind: whole numbers in full, others with every digit they need.
template <class S>
static std::string text(const Setting<S>& s, double v) {
  if (s.kind == SettingKind::number) {
    char b[40];
    std::snprintf(b, sizeof b, "%.17g", v);
    return b;
  }
  return std::to_string(static_cast<long long>(v));
}

template <class S>
static std::string other_value(const Setting<S>& s) {
  S d;
  switch (s.kind) {
    case SettingKind::wholes: {
      std::string v;  // as many as it takes, at both ends of the range
      for (int i = 0; i < s.most; ++i) v += (i ? "," : "") + text(s, i % 2 ? s.hi : s.lo);
      return v;
    }
    case SettingKind::names: {
      std::string v;  // every other name, from the second: not the default's
      for (int i = 1; i < s.choices.count; i += 2) v += (i > 1 ? "," : "") + std::string(s.choices.names[i]);
      return v;
    }
    case SettingKind::choice: return s.choices.names[(int(s.get(d)) + 1) % s.choices.count];
    case SettingKind::flag: return s.get(d) ? "0" : "1";
    default: return s.kind == SettingKind::number ? format_number(s.get(d) == s.hi ? s.lo : s.hi) : text(s, s.get(d) == s.hi ? s.lo : s.hi);
  }
}

template <class S>
static std::vector<std::string> bad_values(const Setting<S>& s) {
  std::vector<std::string> bad{"x", ""};
  if (s.kind == SettingKind::choice) return {"x", "", std::string(s.choices.names[0]) + "s"};
  if (s.kind == SettingKind::names) return {"x", "", std::string(s.choices.names[0]) + ",x", std::string(s.choices.names[0]) + ","};
  if (s.kind == SettingKind::wholes) {
    std::string too_many;
    for (int i = 0; i <= s.most; ++i) too_many += (i ? "," : "") + text(s, s.lo);
    return {"x", text(s, s.lo - 1), text(s, s.hi + 1), text(s, s.lo) + ",x", too_many};
  }
  const double past = std::max(1.0, std::abs(s.hi));  // beyond the range by more than its digits show
  bad.push_back(text(s, s.lo - 1));
  bad.push_back(text(s, s.hi + past));
  if (s.kind != SettingKind::number) bad.push_back(text(s, s.lo) + ".5");
  return bad;
}

// Every setting of the struct, as the link writes them.
template <class S>
static std::vector<std::string> written(const std::vector<Setting<S>>& table, const S& p) {
  std::vector<std::string> out;
  for (const Setting<S>& s : table) out.push_back(write_setting(s, p));
  return out;
}

// One lab's table and where a link keeps it: its key prefix, the PageLink member, and what a link needs
// beside a key for the lab to read its settings (the playground's are read when it is shown, the quiz's with a seed).
template <class S>
struct Table {
  const std::vector<Setting<S>>& table;
  const char* prefix;
  S PageLink::*member;
  const char* context;  // "#mode=playground&"
  void set_context(PageLink& l) const {
    if (std::string(prefix) == "pg.") l.mode = "playground";
    if (std::string(prefix) == "quiz.") l.quiz = 7;
    if (std::string(prefix) == "act.") l.mode = "activations";
    if (std::string(prefix) == "op.") l.mode = "paths";
  }
};
static const Table<PlaygroundSettings> kPlayground{playground_settings(), "pg.", &PageLink::playground, "#mode=playground&"};
static const Table<WalkthroughSettings> kWalkthrough{walkthrough_settings(), "wt.", &PageLink::walkthrough, "#lesson=apple&"};
static const Table<QuizSettings> kQuiz{quiz_settings(), "quiz.", &PageLink::quiz_set, "#quiz=7&"};
static const Table<ActivationsSettings> kActivations{activations_settings(), "act.", &PageLink::activations, "#mode=activations&"};
// Made when first used: its table reads the optimizer table, which another file's static initialisation makes.
static Table<PathSettings> paths_table() { return {path_settings(), "op.", &PageLink::paths, "#mode=paths&"}; }

template <class S>
static void keys_once(const Table<S>& t, size_t entries) {
  REQUIRE(t.table.size() == entries);
  for (size_t i = 0; i < t.table.size(); ++i) {
    INFO(std::string(t.table[i].key));
    CHECK(std::string(t.table[i].key).rfind(t.prefix, 0) == 0);
    CHECK(find_setting(t.table, t.table[i].key) == &t.table[i]);
    for (size_t j = 0; j < i; ++j) {
      CHECK(std::string(t.table[i].key) != t.table[j].key);
      CHECK(std::string(t.table[i].name) != t.table[j].name);
    }
  }
  CHECK(find_setting(t.table, std::string(t.prefix) + "colour") == nullptr);
}

TEST_CASE("each lab's settings table: keys and names once each, every key with the lab's prefix") {
  keys_once(kPlayground, 25);  // pg.compare: the Compare tab's preset; pg.model and the CNN's six
  keys_once(kWalkthrough, 3);
  keys_once(kQuiz, 3);
  keys_once(kActivations, 6);
  keys_once(paths_table(), 7 + 2 * kOptimizerCount);  // 7, and each optimizer's switch and η
  CHECK(find_playground_setting("pg.lr") == find_setting(playground_settings(), "pg.lr"));
}

template <class S>
static void round_trips(const Table<S>& t) {
  const S defaults;
  const std::vector<std::string> before = written(t.table, defaults);
  for (size_t i = 0; i < t.table.size(); ++i) {
    const Setting<S>& s = t.table[i];
    INFO(std::string(s.key));
    PageLink a;
    a.lesson = "apple";
    t.set_context(a);
    read_setting(s, a.*t.member, other_value(s));
    std::vector<std::string> after = written(t.table, a.*t.member);
    for (size_t j = 0; j < t.table.size(); ++j) CHECK((after[j] != before[j]) == (j == i));  // its own member, no other
    CHECK(after[i] == other_value(s));
    PageLink b = decode_link(encode_link(a));
    CHECK(b.problems.empty());
    CHECK(written(t.table, b.*t.member) == after);
    if (s.kind == SettingKind::wholes || s.kind == SettingKind::names) CHECK((b.*t.member).*s.list == (a.*t.member).*s.list);
    else CHECK(s.get(b.*t.member) == s.get(a.*t.member));  // exactly
    // And from the key alone: the rest of the settings their defaults.
    PageLink c = decode_link(std::string(t.context) + s.key + "=" + percent_encode(other_value(s)));
    CHECK(written(t.table, c.*t.member) == after);
  }
}

TEST_CASE("every setting of every lab round-trips through a link, and changes its own member alone") {
  round_trips(kPlayground);
  round_trips(kWalkthrough);
  round_trips(kQuiz);
  round_trips(kActivations);
  round_trips(paths_table());
}

template <class S>
static void refuses(const Table<S>& t) {
  for (size_t i = 0; i < t.table.size(); ++i) {
    const Setting<S>& s = t.table[i];
    const Setting<S>& other = t.table[(i + 1) % t.table.size()];  // set in the same link: it must still apply
    for (const std::string& bad : bad_values(s)) {
      INFO((std::string(s.key) + "=" + bad));
      PageLink l = decode_link(std::string(t.context) + s.key + "=" + percent_encode(bad) + "&" + other.key + "=" +
                               percent_encode(other_value(other)));
      REQUIRE(l.problems.size() == 1);
      CHECK(l.problems[0].rfind(std::string("the link's ") + s.key + " ", 0) == 0);
      CHECK(l.problems[0].find(s.kind == SettingKind::wholes ? "" : "'" + bad + "'") != std::string::npos);
      CHECK(write_setting(s, l.*t.member) == write_setting(s, S()));  // refused: the default stays
      CHECK(write_setting(other, l.*t.member) == other_value(other));
    }
  }
}

TEST_CASE("a bad value of any lab's setting is refused, naming the key, and the rest of the link applies") {
  refuses(kPlayground);
  refuses(kWalkthrough);
  refuses(kQuiz);
  refuses(kActivations);
  refuses(paths_table());
  CHECK(refused("#mode=playground&pg.hidden=1,2,3,4,5,6,7,8,9") == "the link's pg.hidden has more than 8 layers");
  CHECK(refused("#mode=playground&pg.replacement=yes") == "the link's pg.replacement must be a number from 0 to 1, not 'yes'");
  CHECK(refused("#quiz=7&quiz.topics=local,chain") ==
        "the link's quiz.topics must name some of " + std::string([] {
          std::string all;
          for (const TopicInfo& t : all_topics()) all += (all.empty() ? "" : ", ") + std::string(t.name);
          return all;
        }()) + ", separated by commas, not 'local,chain'");
  PageLink half = decode_link("#mode=playground&pg.hidden=4,200");
  CHECK(half.playground.hidden == PlaygroundSettings().hidden);  // not 4 alone: a refused list leaves nothing behind
}

TEST_CASE("a quiz link carries the set's settings only when they differ from the defaults, so old links read the same") {
  PageLink l;
  l.lesson = "apple", l.quiz = 7, l.mode = "quiz";
  CHECK(encode_link(l) == "lesson=apple&step=0&quiz=7&mode=quiz");
  l.quiz_set.difficulty = 3;
  l.quiz_set.topics = {0, 2};
  CHECK(encode_link(l) == "lesson=apple&step=0&quiz=7&quiz.topics=" + std::string(all_topics()[0].name) + "," +
                              all_topics()[2].name + "&quiz.difficulty=3&mode=quiz");
  // The set it names is the command's: kobai quiz --seed 7 --difficulty 3 --topics <those two>.
  QuizOptions o = decode_link(encode_link(l)).quiz_set.options(7);
  CHECK(o.seed == 7);
  CHECK(o.difficulty == 3);
  CHECK(o.count == 10);
  REQUIRE(o.topics.size() == 2);
  CHECK(o.topics[0] == all_topics()[0].topic);
  CHECK(o.topics[1] == all_topics()[2].topic);
  CHECK(QuizSettings().options(7).topics.empty());  // every topic: none named, as the command's default
}

template <class E>
static void names_round_trip(const char* key) {
  NameList names = names_of<E>();
  REQUIRE(names.count > 1);
  const PlaygroundSetting* s = find_playground_setting(key);
  REQUIRE(s);
  CHECK(s->choices.names == names.names);  // the setting's menu is the enum's own list
  int i = 0;
  for (const char* name : names) {
    INFO(name);
    CHECK(std::string(name_of(E(i))) == name);
    CHECK(read_choice(key, name, names) == i);
    PageLink l = decode_link(std::string("#mode=playground&") + key + "=" + name);
    CHECK(l.problems.empty());
    CHECK(int(s->get(l.playground)) == i);
    ++i;
  }
  CHECK(i == names.count);
}

TEST_CASE("every enum's names, listed once, round-trip through its decoder") {
  names_round_trip<DataKind>("pg.data");
  names_round_trip<Activation>("pg.act");
  names_round_trip<Init>("pg.init");
  names_round_trip<LossKind>("pg.loss");
  names_round_trip<OptimizerKind>("pg.opt");
  names_round_trip<Model>("pg.model");
  CHECK(names_of<DataKind>().count == 9);
  CHECK(std::string(names_of<OptimizerKind>().names[5]) == "adam");
}

TEST_CASE("a setting as a sentence says it: the playground's suggestion names what it changed") {
  PlaygroundSettings p;
  p.batchnorm = true;
  CHECK(say_setting(*find_playground_setting("pg.hidden"), p) == "8-8-8");
  CHECK(say_setting(*find_playground_setting("pg.batchnorm"), p) == "on");
  CHECK(say_setting(*find_playground_setting("pg.replacement"), p) == "off");
  CHECK(say_setting(*find_playground_setting("pg.lr"), p) == "0.03");
  CHECK(std::string(find_playground_setting("pg.lr")->called) == "learning rate");
}

TEST_CASE("a link carries the optimizer-paths lab's typed f beside its table, and only when that lab is shown") {
  PageLink l;
  l.lesson = "apple", l.mode = "paths";
  l.paths.expr = "x^4 + y^2 & 1";  // text the link must escape
  l.paths.x = 0.5, l.paths.on_adam = false, l.paths.lr_sgd = 0.25;
  std::string s = encode_link(l);
  CHECK(s.find("op.expr=x%5E4%20%2B%20y%5E2%20%26%201") != std::string::npos);
  PageLink b = decode_link(s);
  CHECK(b.problems.empty());
  CHECK(b.paths.expr == l.paths.expr);
  CHECK(b.paths.x == 0.5);
  CHECK(!b.paths.on_adam);
  CHECK(b.paths.lr_sgd == 0.25);
  // Only what differs from the defaults is written: the defaults' link names no op.* at all.
  PageLink d;
  d.lesson = "apple", d.mode = "paths";
  CHECK(encode_link(d).find("op.") == std::string::npos);
  d.mode = "playground";
  l.mode = "playground";
  CHECK(encode_link(l).find("op.") == std::string::npos);
  CHECK(refused("#mode=paths&op.lr.adam=1000") == "the link's op.lr.adam must be a number from 1e-06 to 100, not '1000'");
}

TEST_CASE("the page reads a link in two parts: the later labs' keys wait as text, then read as decode_link reads them") {
  const std::string h = "#lesson=relu&mode=rnn&rnn.cell=gru&rnn.hidden=999&pg.lr=0.5&op.expr=x*x&wt.quiz=1&act.layers=3";
  PageLink first = decode_link_first(h);
  CHECK(first.walkthrough.quiz);  // the first frame's keys are read at once
  CHECK(first.rnn.cell == RnnCell::rnn);  // the later labs' are not yet
  CHECK(first.later.size() == 5);
  CHECK(first.problems.empty());
  // Until they are read, the page's own link carries them as they came.
  std::string waiting = encode_link_first(first);
  for (const char* part : {"mode=rnn", "rnn.cell=gru", "rnn.hidden=999", "pg.lr=0.5", "op.expr=x*x", "act.layers=3"})
    CHECK_MESSAGE(waiting.find(part) != std::string::npos, part, " in ", waiting);
  CHECK(decode_link_first(waiting).later == first.later);
  read_later_keys(first);
  PageLink whole = decode_link(h);
  CHECK(first.later.empty());
  CHECK(first.rnn.cell == RnnCell::gru);
  CHECK(first.playground.lr == 0.5);
  CHECK(first.paths.expr == "x*x");
  CHECK(first.activations.layers == whole.activations.layers);
  CHECK(first.problems == whole.problems);
  REQUIRE(first.problems.size() == 1);
  CHECK(first.problems[0].find("rnn.hidden") != std::string::npos);
  CHECK(encode_link(first) == encode_link(whole));
  CHECK(encode_link(whole) == encode_link_first(whole) + encode_later_keys(whole));
  // A link of nothing but a later lab's key opens the first lesson; its key is read with the lab's code.
  CHECK(decode_link_first("#rnn.seed=3").lesson == "apple");
  // Every key of the later labs' tables waits; the walkthrough's and the quiz's do not.
  for (const auto& s : playground_settings()) CHECK(is_later_key(s.key));
  for (const auto& s : path_settings()) CHECK(is_later_key(s.key));
  for (const auto& s : activations_settings()) CHECK(is_later_key(s.key));
  for (const auto& s : rnn_settings()) CHECK(is_later_key(s.key));
  for (const auto& s : walkthrough_settings()) CHECK_FALSE(is_later_key(s.key));
  for (const auto& s : quiz_settings()) CHECK_FALSE(is_later_key(s.key));
}

TEST_CASE("a teacher's lesson file travels packed in the link: kept as given, checked for damage") {
  PageLink a;
  a.lesson_file = "q1ZKzdFRUFAqzs9NVbJSUMrPS1WqBQA";  // packed text: letters, digits, - and _
  a.inputs = {{"w", S(2)}};
  a.step = 3;
  const std::string s = encode_link(a);
  CHECK(s.rfind("lessonfile=q1ZKzdFRUFAqzs9NVbJSUMrPS1WqBQA&in.w=2&step=3", 0) == 0);
  PageLink b = decode_link("#" + s);
  CHECK(b.lesson_file == a.lesson_file);
  CHECK(b.lesson.empty());
  CHECK(b.step == 3);
  // A character packed text never has: the link was changed on its way (a chat app's quoting, say).
  CHECK_THROWS_WITH_AS(decode_link("#lessonfile=q1Z%22KzdF&step=0"),
                       "the link's lesson file is damaged: 'lessonfile' holds a character that packed text does not have "
                       "(letters, digits, - and _ only), at character 4",
                       InputError);
  CHECK_THROWS_WITH_AS(decode_link("#lessonfile=&step=0"), doctest::Contains("the link's lesson file is damaged"), InputError);
  CHECK_THROWS_WITH_AS(decode_link("#lessonfile=abc&lesson=apple"), "the link names a lesson file and also a lesson", InputError);
  CHECK_THROWS_WITH_AS(decode_link("#lessonfile=abc&expr=y%3Dx"), "the link names a lesson file and also an expression", InputError);
}

TEST_CASE("a quiz link carries a teacher's question file, packed; damage to it is refused alone") {
  PageLink a = decode_link("#quiz=4");
  a.quiz_bank = "q1ZKzdFRUFAqzs9NVbJSUMrPS1WqBQA";
  PageLink b = decode_link("#" + encode_link(a));
  CHECK(b.quiz == 4);
  CHECK(b.quiz_bank == a.quiz_bank);
  PageLink c = decode_link("#quiz=4&quiz.bank=ab%2Bc");
  CHECK(c.quiz == 4);  // the rest of the link applies
  CHECK(c.quiz_bank.empty());
  REQUIRE(c.problems.size() == 1);
  CHECK(c.problems[0] == "the link's question file is damaged: 'quiz.bank' holds a character that packed text does not have "
                         "(letters, digits, - and _ only), at character 3");
}
