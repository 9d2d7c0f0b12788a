/* deliver.c - being written (see deliver.h). */
#include "deliver.h"
int deliver_format_parse(const char *s, enum deliver_format *out) { (void)s; (void)out; return HORCH_EINVAL; }
int deliver_render(struct buf *out, enum deliver_format f, const struct alert_note *note,
		   const char *from, const char *to, int64_t now_ms)
{ (void)out; (void)f; (void)note; (void)from; (void)to; (void)now_ms; return HORCH_EINVAL; }
int deliver_new(struct deliver **out, const struct deliver_opts *o, deliver_result_fn fn,
		void *ctx, struct horch_err *err)
{ (void)o; (void)fn; (void)ctx; *out = NULL; return horch_err_set(err, HORCH_EINVAL, "not built"); }
int deliver_post(struct deliver *d, const struct deliver_job *job, struct horch_err *err)
{ (void)d; (void)job; return horch_err_set(err, HORCH_EINVAL, "not built"); }
size_t deliver_pending(struct deliver *d) { (void)d; return 0; }
void deliver_free(struct deliver *d, long wait_ms) { (void)d; (void)wait_ms; }
