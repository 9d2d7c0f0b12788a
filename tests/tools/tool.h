/* tool.h - what the fake servers of tests/tools share (feed_server,
 * mastodon_server, forum_server, jetstream_server): taking SIGTERM and
 * SIGINT with sigwait(), listening on 127.0.0.1 with libmicrohttpd (a
 * thread per connection, so that a slow answer holds up no other), and
 * telling the test where: "port=N" as the first line of standard output
 * and in the --port-file.  Header-only, like tests/unit/tap.h; every
 * function is static (some tools use only some), and tool_listen() is
 * there only for a tool that includes <microhttpd.h> first. */
#ifndef HORCH_TOOL_H
#define HORCH_TOOL_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Block SIGTERM and SIGINT (into *sigs) in this thread and every thread
 * started after, so that sigwait(sigs) in main takes them; ignore
 * SIGPIPE (a client that goes away mid-answer). */
__attribute__((unused))
static void tool_block_signals(sigset_t *sigs)
{
	sigemptyset(sigs);
	sigaddset(sigs, SIGTERM);
	sigaddset(sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
}

#ifdef MHD_VERSION
/* (For the tools that include <microhttpd.h> before this header.)
 * A libmicrohttpd server on 127.0.0.1:port (0: a free one) answering with
 * handler(cls, ...), a thread per connection, idle connections closed
 * after 60 s.  Returns it with the port bound in *bound, or NULL. */
__attribute__((unused))
static struct MHD_Daemon *tool_listen(long port, MHD_AccessHandlerCallback handler, void *cls,
				      unsigned *bound)
{
	const union MHD_DaemonInfo *info;
	struct sockaddr_in sa;
	struct MHD_Daemon *d;

	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0,
			     NULL, NULL, handler, cls, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
			     MHD_OPTION_CONNECTION_TIMEOUT, 60u, MHD_OPTION_END);
	if (!d)
		return NULL;
	if (!(info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT))) {
		MHD_stop_daemon(d);
		return NULL;
	}
	*bound = info->port;
	return d;
}
#endif

/* Say where the tool listens: "port=N" on standard output and, when
 * port_file is not NULL, N in that file.  Returns 0, or 1 after a message
 * naming the tool when the file cannot be written. */
__attribute__((unused))
static int tool_announce(const char *tool, unsigned port, const char *port_file)
{
	FILE *f;

	printf("port=%u\n", port);
	fflush(stdout);
	if (!port_file)
		return 0;
	f = fopen(port_file, "w");
	if (!f || fprintf(f, "%u\n", port) < 0 || fclose(f) != 0) {
		fprintf(stderr, "%s: cannot write %s: %s\n", tool, port_file, strerror(errno));
		return 1;
	}
	return 0;
}

#endif
