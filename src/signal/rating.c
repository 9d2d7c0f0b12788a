/* rating.c - being written (see signal.h). */
#include "signal.h"
#include <math.h>
#include <string.h>
double rating_wilson_lower(double pos, double n, double z) { (void)pos; (void)n; (void)z; return 0; }
void rating_summarise(const struct rating_review *r, size_t n, int64_t now,
		      const struct rating_rule *rule, struct rating_summary *out)
{ (void)r; (void)n; (void)now; (void)rule; memset(out, 0, sizeof *out); }
