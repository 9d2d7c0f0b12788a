/* lang_cld2.h - CLD2 (a C++ library) behind one C call, for lang.c and for
 * the test, fuzz target and benchmark of language identification.
 *
 * Kept apart from nlp_int.h on purpose: lang_cld2.cc is compiled as C++
 * and includes only this header, which is plain C that C++ also reads, so
 * that nothing else of horch's C headers has to stay valid C++. */
#ifndef HORCH_LANG_CLD2_H
#define HORCH_LANG_CLD2_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NLP__CLD2_BEST_EFFORT 1   /* flags: an answer even for short text */

struct nlp__cld2_result {
	const char *code[3];     /* CLD2's codes of its top three languages, best first
				  * ("en", "zh-Hant"; "un" for none); static strings */
	int percent[3];          /* the share of the scored text of each, 0..100 */
	double score[3];         /* each one's score relative to normal text of it */
	int text_bytes;          /* the letter bytes CLD2 scored */
	int reliable;            /* CLD2's is_reliable */
	size_t valid_len;        /* the leading bytes CLD2 took as interchange-valid
				  * UTF-8 and scored: len unless s was not */
};

/* Run CLD2 on the plain text s[0..len) (any bytes: CLD2 checks them and,
 * when they are not interchange-valid UTF-8, scores only the valid prefix;
 * at most INT_MAX bytes).  Fills *out.  Any thread. */
void nlp__cld2_detect(const char *s, size_t len, int flags, struct nlp__cld2_result *out);

#ifdef __cplusplus
}
#endif

#endif
