/* api_launches.c - being written. */
#include "http_int.h"
void api_launches_list(struct http_req *rq, struct http_resp *rs) { (void)rq; http_error(rs, 501, "not_built", "not built"); }
void api_launches_create(struct http_req *rq, struct http_resp *rs) { (void)rq; http_error(rs, 501, "not_built", "not built"); }
void api_launches_get(struct http_req *rq, struct http_resp *rs) { (void)rq; http_error(rs, 501, "not_built", "not built"); }
void api_launches_delete(struct http_req *rq, struct http_resp *rs) { (void)rq; http_error(rs, 501, "not_built", "not built"); }
