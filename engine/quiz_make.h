// kobai engine, inside the quiz: what the question makers share. quiz.cpp makes day 1's questions, quiz_day2.cpp
// day 2's (the optimizers, initial weights, parameter counts, saddle points), quiz_day3.cpp day 3's (sequences),
// quiz_cnn.cpp the convolutions'.
#pragma once

#include "quiz.h"
#include "random.h"

#include <string>
#include <vector>

namespace kobai::quizgen {

// Quiz numbers: Rng (random.h) plus the kinds of number a student can work with.
struct QuizRng : Rng {
  // A number a student can work with: integers at difficulty 1, one decimal at 2, two at 3; never 0.
  double nice(int difficulty, int range = 5) {
    int scale = difficulty <= 1 ? 1 : difficulty == 2 ? 10 : 100;
    int v = 0;
    while (v == 0) v = below(2 * range * scale + 1) - range * scale;
    return double(v) / scale;
  }
};

Text words(const std::string& en, const std::string& ja);
Text words(const Words& w);
inline Mat one(double v) { return Mat::Constant(1, 1, v); }
void value_by_engine(Question& q);  // the answer: the value of q.expr at q.inputs, computed by the engine
void shuffle_choices(QuizRng& r, Question& q, std::vector<std::string> options);  // options[0] is the right one

// A question of topic update, init, params or saddle (quiz_day2.cpp).
Question day2_question(Topic t, QuizRng& r, int difficulty);
// A question of topic bptt, gate, cell or rnnparams (quiz_day3.cpp).
Question day3_question(Topic t, QuizRng& r, int difficulty);
// A question of topic outsize, convparams, convvalue, poolgrad or im2colshape (quiz_cnn.cpp).
Question cnn_question(Topic t, QuizRng& r, int difficulty);

}  // namespace kobai::quizgen
