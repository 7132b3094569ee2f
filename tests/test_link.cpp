// Shared links: what the URL hash carries, and the message a broken one gets.
#include "helpers.h"
#include "link.h"
#include "quiz.h"

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
  CHECK(e.playground.lr == PlaygroundLink().lr);
}
