/* lang_cld2.cc - CLD2, Google's Compact Language Detector 2, behind one C
 * call (nlp__cld2_detect(), declared in lang_cld2.h) for lang.c.
 *
 * CLD2's API is C++ (namespace CLD2, a std::vector in one signature), so
 * this is the one C++ file of horch; it includes no header of horch but
 * lang_cld2.h.  It uses nothing of the C++ runtime
 * (no exceptions, no RTTI, no new, no static objects): it is compiled with
 * the project's C compiler driver as C++ (src/nlp/meson.build says why) and
 * links with the C linker; libcld2.so brings its own libstdc++.
 *
 * CLD2 is thread-safe: its tables are read-only and each call keeps its
 * state on the stack and in buffers of its own.  The input goes through
 * CLD2's own interchange-valid UTF-8 check (ExtDetectLanguageSummary-
 * CheckUTF8); when that fails the valid prefix is scored instead, so no
 * byte sequence reaches CLD2's scanner unchecked. */
#include <climits>
#include <cstdio>
#include <cstddef>

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

#include "lang_cld2.h"

namespace {

/* One CLD2 call on s[0..len) (len <= INT_MAX); returns CLD2's valid
 * prefix length. */
int detect(const char *s, int len, int flags, struct nlp__cld2_result *out)
{
	CLD2::CLDHints hints = { NULL, NULL, CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE };
	CLD2::Language lang3[3] = { CLD2::UNKNOWN_LANGUAGE, CLD2::UNKNOWN_LANGUAGE,
				    CLD2::UNKNOWN_LANGUAGE };
	int percent3[3] = { 0, 0, 0 };
	double score3[3] = { 0, 0, 0 };
	int text_bytes = 0, valid = 0;
	bool reliable = false;

	CLD2::ExtDetectLanguageSummaryCheckUTF8(
		s, len, true, &hints,
		(flags & NLP__CLD2_BEST_EFFORT) ? CLD2::kCLDFlagBestEffort : 0,
		lang3, percent3, score3, NULL, &text_bytes, &reliable, &valid);
	for (int i = 0; i < 3; i++) {
		out->code[i] = CLD2::LanguageCode(lang3[i]);
		out->percent[i] = percent3[i];
		out->score[i] = score3[i];
	}
	out->text_bytes = text_bytes;
	out->reliable = reliable;
	return valid;
}

} /* namespace */

/* See lang_cld2.h.  CLD2 answers UNKNOWN for the whole text when any byte of
 * it is not interchange-valid; then the valid prefix it reports is scored
 * on its own (it is valid by CLD2's own check). */
extern "C" void nlp__cld2_detect(const char *s, size_t len, int flags,
				 struct nlp__cld2_result *out)
{
	int n = len > (size_t)INT_MAX ? INT_MAX : (int)len;
	int valid;

	if (!s)
		n = 0;
	valid = detect(n ? s : "", n, flags, out);
	if (valid < 0 || valid > n)
		valid = 0;
	if (valid < n)
		detect(valid ? s : "", valid, flags, out);
	out->valid_len = (size_t)valid;
}
