#include <boost/json.hpp>

#include <string>

#include "api/admin/admin_support.h"
#include "api/auth.h"
#include "api/console/console_api.h"
#include "api/console_headers.h"
#include "api/cookies.h"
#include "api/cross_site.h"
#include "api/error_response.h"
#include "api/json_body.h"
#include "service/clock.h"

namespace apiota::api::console {
namespace {

// Secure when the console is reached over TLS: by this server's own TLS or
// through an https:// public URL (a TLS proxy in front).
std::string session_cookie(std::string_view token, std::chrono::seconds max_age, const service::Settings& settings,
                           const Request& req) {
  std::string cookie = std::string(kSessionCookie) + "=" + std::string(token) +
                       "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age.count());
  if (req.secure || settings.public_url.starts_with("https://")) cookie += "; Secure";
  return cookie;
}

Response session_response(const service::ConsoleSession& session, unsigned status) {
  boost::json::object out{{"signed_in", true},
                          {"key_id", session.admin.key.id},
                          {"project_id", session.admin.project.id},
                          {"label", session.admin.key.label},
                          {"expires_at", service::iso8601(session.expires_at)}};
  Response res = admin::json_response(out);
  res.status = status;
  return res;
}

// Runs `answer`, rendering a refusal here so that it carries the console's
// headers too.
template <class Answer>
Response with_console_headers(Answer answer) {
  Response res;
  try {
    res = answer();
  } catch (const ApiError& error) {
    res = error_response(error);
  }
  add_console_headers(res);
  return res;
}

}  // namespace

Response sign_in(Context& ctx, const Request& req) {
  return with_console_headers([&] {
    refuse_cross_site(req, ctx.settings.public_url);
    const boost::json::object body = parse_json_object(req.body);
    const std::string key = required_param(req, &body, "key");
    service::OpenedConsoleSession opened = ctx.sessions.sign_in(key, req.remote_address);
    Response res = session_response(opened.session, 201);
    res.headers.emplace_back("Set-Cookie", session_cookie(opened.token, opened.lifetime, ctx.settings, req));
    res.headers.emplace_back("Cache-Control", "no-store");
    return res;
  });
}

Response session_info(Context& ctx, const Request& req) {
  return with_console_headers([&] {
    const std::optional<std::string_view> token = request_cookie(req, kSessionCookie);
    auto session = token ? ctx.sessions.find(*token) : std::nullopt;
    // Signed out is an answer, not an error: a console page loaded without a
    // session asks this first and must not log a failed request.
    Response res = session ? session_response(*session, 200)
                           : admin::json_response(boost::json::object{{"signed_in", false}});
    res.headers.emplace_back("Cache-Control", "no-store");
    return res;
  });
}

Response sign_out(Context& ctx, const Request& req) {
  return with_console_headers([&] {
    refuse_cross_site(req, ctx.settings.public_url);
    if (auto token = request_cookie(req, kSessionCookie)) ctx.sessions.sign_out(*token);
    Response res = admin::json_response(boost::json::object{{"success", true}});
    res.headers.emplace_back("Set-Cookie", session_cookie("", std::chrono::seconds(0), ctx.settings, req));
    return res;
  });
}

}  // namespace apiota::api::console
