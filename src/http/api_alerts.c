/* api_alerts.c - being written. */
#include "http_int.h"
#define NB(f) void f(struct http_req *rq, struct http_resp *rs) { (void)rq; http_error(rs, 501, "not_built", "not built"); }
NB(api_alerts_list) NB(api_alerts_get) NB(api_alerts_ack) NB(api_alerts_resolve) NB(api_rules_list)
NB(api_rules_put) NB(api_rules_delete) NB(api_posts_answered) NB(api_answers) NB(api_ratings)
