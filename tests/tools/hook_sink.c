/* hook_sink.c - a webhook receiver for the integration tests: listens on
 * 127.0.0.1 (a free port), prints "http://127.0.0.1:PORT" on its first
 * line of standard output, and appends each request it gets to FILE as one
 * line "METHOD PATH CONTENT-TYPE BODY" (the body with its newlines as
 * spaces).  The first FAIL requests are answered 500, the others 200.
 * Runs until it is killed.
 *
 *   hook_sink FILE [FAIL] */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct req {
	char *body;
	size_t len;
};

static FILE *out;
static long fail_first;
static long seen;

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *data,
				  size_t *size, void **state)
{
	struct req *r = *state;
	struct MHD_Response *resp;
	const char *ct;
	enum MHD_Result ok;
	unsigned status;

	(void)cls;
	(void)version;
	if (!r) {
		*state = calloc(1, sizeof *r);
		return *state ? MHD_YES : MHD_NO;
	}
	if (*size) {
		char *b = realloc(r->body, r->len + *size + 1);

		if (!b)
			return MHD_NO;
		memcpy(b + r->len, data, *size);
		r->body = b;
		r->len += *size;
		r->body[r->len] = 0;
		*size = 0;
		return MHD_YES;
	}
	ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	for (size_t i = 0; i < r->len; i++)
		if (r->body[i] == '\n' || r->body[i] == '\r')
			r->body[i] = ' ';
	fprintf(out, "%s %s %s %s\n", method, url, ct ? ct : "-", r->body ? r->body : "");
	fflush(out);
	status = seen++ < fail_first ? 500 : 200;
	resp = MHD_create_response_from_buffer(2, (void *)"ok", MHD_RESPMEM_PERSISTENT);
	ok = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return ok;
}

static void on_done(void *cls, struct MHD_Connection *c, void **state,
		    enum MHD_RequestTerminationCode code)
{
	struct req *r = *state;

	(void)cls;
	(void)c;
	(void)code;
	if (r) {
		free(r->body);
		free(r);
	}
	*state = NULL;
}

int main(int argc, char **argv)
{
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	struct sockaddr_in sa;
	sigset_t sigs;
	int sig;

	if (argc < 2 || !(out = fopen(argv[1], "a"))) {
		fprintf(stderr, "usage: hook_sink FILE [FAIL]\n");
		return 2;
	}
	fail_first = argc > 2 ? atol(argv[2]) : 0;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, on_request, NULL,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
			     MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL, MHD_OPTION_END);
	if (!d || !(info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT))) {
		fprintf(stderr, "hook_sink: cannot listen\n");
		return 1;
	}
	printf("http://127.0.0.1:%u\n", (unsigned)info->port);
	fflush(stdout);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	sigwait(&sigs, &sig);
	MHD_stop_daemon(d);
	fclose(out);
	return 0;
}
