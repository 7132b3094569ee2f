// kobai engine, inside: JSON text a teacher wrote (a lesson, a question bank), read with kobai's messages.
//
//   parse_json   the text as JSON, or an InputError saying what is wrong and where (line and column)
//   key_place    where a key or list item is written, "line L, column C: ", for a message about its value
//   line_column  the line and column (in characters) of a byte of the text
//   in_file      a message about a file's text, with the file's name in front
#pragma once

#include "graph.h"

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace kobai {

std::pair<int, int> line_column(const std::string& text, size_t pos);  // lines and UTF-8 columns, from 1
std::string place_text(const std::pair<int, int>& p);                   // "line 3, column 7"

// what: "the lesson"; noun: "valid JSON"; hint: added to the message's end.
nlohmann::json parse_json(const std::string& text, const std::string& what, const char* noun, const char* hint);

// path: from the top down, a key for an object and an index ("0", "1", ...) for a list, e.g. {"inputs", "W"} or
// {"questions", "3", "choices", "1"}. "" when the text does not have it, or is one line (the path says enough).
std::string key_place(const std::string& text, const std::vector<std::string>& path);

// "bank.json, line 7, column 3: ..." when the message says where, "bank.json: ..." when not.
std::string in_file(const std::string& file, const std::string& message);

}  // namespace kobai
