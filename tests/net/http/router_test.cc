// Copyright 2026 The mco Authors.
//
// Tests of mco/net/http/router.h, through a server on loopback: exact
// paths, {name} and rest segments, precedence, HEAD for GET, 404, 405 with
// Allow, %-decoded segments, and bad patterns.

#include "mco/net/http/router.h"

#include <stdexcept>
#include <string>

#include "gtest/gtest.h"
#include "tests/net/http/http_test_util.h"
#include "tests/test_util.h"

namespace {

using http_test::RawConn;
using http_test::TestServer;
using mco::net::http::Request;
using mco::net::http::ResponseWriter;
using mco::net::http::Router;

class RouterTest : public mco_test::WorkersTest {};

// A handler answering `name` and the path parameters.
mco::net::http::Handler named(std::string name) {
  return [name](Request& req, ResponseWriter& w) {
    std::string text = name;
    for (const auto& [k, v] : req.path_params) text += " " + k + "=" + v;
    w.reply(200, "text/plain", text);
  };
}

TEST_P(RouterTest, RoutesByMethodAndPath) {
  on_scheduler([] {
    Router r;
    r.get("/", named("root"));
    r.get("/users/{id}", named("user"));
    r.get("/users/me", named("me"));
    r.post("/users/{id}/posts", named("post"));
    r.get("/static/{path...}", named("static"));
    r.handle("", "/any/*", named("any"));
    r.get("/dir/", named("dir"));
    TestServer s(r.handler());
    RawConn c(s.address());
    const auto ask = [&](const std::string& method, const std::string& path) {
      EXPECT_TRUE(c.send(method + " " + path + " HTTP/1.1\r\nHost: t\r\n\r\n"));
      auto resp = c.read(method);
      EXPECT_TRUE(resp);
      return resp
                 ? std::to_string(resp->status()) + " " + resp->body +
                       std::string(resp->header("allow").empty()
                                       ? ""
                                       : " allow=" +
                                             std::string(resp->header("allow")))
                 : std::string("none");
    };
    EXPECT_EQ(ask("GET", "/"), "200 root");
    EXPECT_EQ(ask("GET", "/users/42"), "200 user id=42");
    EXPECT_EQ(ask("GET", "/users/a%2Fb"), "200 user id=a/b");
    EXPECT_EQ(ask("GET", "/users/me"), "200 me");  // literal wins
    EXPECT_EQ(ask("POST", "/users/7/posts"), "200 post id=7");
    EXPECT_EQ(ask("GET", "/static/css/a.css?v=1"), "200 static path=css/a.css");
    EXPECT_EQ(ask("GET", "/static/"), "200 static path=");
    EXPECT_EQ(ask("DELETE", "/any/x/y"), "200 any *=x/y");
    EXPECT_EQ(ask("GET", "/dir/"), "200 dir");
    EXPECT_EQ(ask("GET", "http://t/users/9?x=1"), "200 user id=9");  // absolute
    EXPECT_EQ(ask("GET", "/dir"), "404 404 page not found\n");
    EXPECT_EQ(ask("GET", "/users"), "404 404 page not found\n");
    EXPECT_EQ(ask("GET", "/users/"), "404 404 page not found\n");  // empty {id}
    EXPECT_EQ(ask("GET", "/nope"), "404 404 page not found\n");
    EXPECT_EQ(ask("HEAD", "/users/1"), "200 ");  // GET serves HEAD, no body
    EXPECT_EQ(ask("DELETE", "/users/1"),
              "405 405 method not allowed\n allow=GET, HEAD");
    EXPECT_EQ(ask("GET", "/users/1/posts"),
              "405 405 method not allowed\n allow=POST");
  });
}

TEST(RouterPatterns, BadPatternsThrow) {
  const auto h = named("x");
  for (const char* p : {"", "nope", "/a/{", "/a/{}", "/{a}/{a}", "/x/{r...}/y",
                        "/*/y", "/a{b}"}) {
    Router r;
    EXPECT_THROW(r.get(p, h), std::invalid_argument) << p;
  }
  Router r;
  r.get("/a/{x}", h);
  EXPECT_THROW(r.get("/a/{y}", h), std::invalid_argument);  // same shape
  EXPECT_NO_THROW(r.post("/a/{y}", h));                     // other method
}

INSTANTIATE_TEST_SUITE_P(Workers, RouterTest, testing::Values(1, 2));

}  // namespace
