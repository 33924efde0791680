// SPDX-License-Identifier: GPL-2.0-only
/*
 * mshv-run - find and run the mshv selftests, optionally load the modules,
 * aggregate their TAP output.
 *
 * Output is TAP 13 with one case per selftest case ("program: case"), each
 * failure followed by the test's own diagnostics, then per-program totals
 * and the closing line "N passed, N failed, N skipped".  --json prints the
 * same results as one JSON object instead.  Exit status: 0 when nothing
 * failed, 1 when something failed, 2 on usage/setup errors, 4 when every
 * case was skipped (with --expect-skip: 0 only when every program skipped).
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <dirent.h>

#define MAX_PROGS	256
#define MAX_DIAG	64

enum result { R_PASS, R_FAIL, R_SKIP };

struct tcase {
	char *name;
	enum result res;
	char *reason;
	char *diag[MAX_DIAG];
	unsigned int ndiag;
	struct tcase *next;
};

struct prog {
	char *rel;		/* e.g. "x86/intercept_test" */
	char *path;
	int status;		/* exit code, or 128 + signal, or -1 on timeout */
	double secs;
	unsigned int pass, fail, skip;
	struct tcase *cases, *last;
};

static struct prog progs[MAX_PROGS];
static unsigned int nprogs;
static bool opt_json, opt_verbose, opt_list, opt_expect_skip;
static int opt_timeout = 600;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "mshv-run: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s ? s : "");

	if (!p)
		die("out of memory");
	return p;
}

static const char help_text[] =
	"Usage: mshv-run [options] [PATTERN...]\n"
	"\n"
	"Run the mshv selftests (all, or those whose name matches a PATTERN, a shell\n"
	"glob on the program name such as 'dev_test', 'x86/*' or '*memory*') and\n"
	"report every test case.\n"
	"\n"
	"  -d, --dir DIR      where the test programs are (default: $MSHV_SELFTESTS_DIR,\n"
	"                     else build/selftests next to this program's build tree,\n"
	"                     else /usr/local/libexec/mshv/selftests)\n"
	"  -l, --load         make /dev/mshv available first: insmod the repository's\n"
	"                     driver/mshv_root.ko and driver/hvsim/mshv_hvsim.ko, or,\n"
	"                     when they are not built, 'modprobe mshv_root' (real host)\n"
	"      --repo DIR     repository holding driver/ for --load\n"
	"  -t, --timeout SEC  per-program limit (default 600)\n"
	"  -j, --json         print the results as JSON\n"
	"      --list         list the programs that would run, then exit\n"
	"      --expect-skip  succeed only if every program skips (exit 4 with a\n"
	"                     '1..0 # SKIP' plan): the check for hosts without mshv\n"
	"  -v, --verbose      copy each program's full output\n"
	"  -h, --help         this text\n"
	"\n"
	"Exit status: 0 nothing failed, 1 a case failed, 2 usage or setup error,\n"
	"4 everything skipped (e.g. no /dev/mshv: not a Microsoft Hypervisor root).\n";

static void print_help(FILE *f)
{
	fputs(help_text, f);
}

/* ---- locating things ---- */

static char self_dir[PATH_MAX];

static void find_self_dir(void)
{
	ssize_t n = readlink("/proc/self/exe", self_dir, sizeof(self_dir) - 1);
	char *s;

	if (n <= 0) {
		strcpy(self_dir, ".");
		return;
	}
	self_dir[n] = '\0';
	s = strrchr(self_dir, '/');
	if (s)
		*s = '\0';
}

static bool is_dir(const char *p)
{
	struct stat st;

	return !stat(p, &st) && S_ISDIR(st.st_mode);
}

static bool is_file(const char *p)
{
	struct stat st;

	return !stat(p, &st) && S_ISREG(st.st_mode);
}

static char *default_dir(void)
{
	static char buf[PATH_MAX + 32];
	const char *env = getenv("MSHV_SELFTESTS_DIR");

	if (env && *env)
		return xstrdup(env);
	/* <build>/user/runner/mshv-run -> <build>/selftests */
	snprintf(buf, sizeof(buf), "%s/../../selftests", self_dir);
	if (is_dir(buf))
		return xstrdup(buf);
	return xstrdup("/usr/local/libexec/mshv/selftests");
}

static char *default_repo(void)
{
	static char buf[PATH_MAX + 32];

	snprintf(buf, sizeof(buf), "%s/../../..", self_dir);
	return xstrdup(buf);
}

static bool matches(const char *rel, char **pats, int npats)
{
	const char *base = strrchr(rel, '/');
	int i;

	if (!npats)
		return true;
	base = base ? base + 1 : rel;
	for (i = 0; i < npats; i++)
		if (!fnmatch(pats[i], rel, 0) || !fnmatch(pats[i], base, 0))
			return true;
	return false;
}

static int cmp_prog(const void *a, const void *b)
{
	return strcmp(((const struct prog *)a)->rel, ((const struct prog *)b)->rel);
}

static void scan(const char *root, const char *sub, char **pats, int npats)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "%s%s%s", root, *sub ? "/" : "", sub);
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d))) {
		char rel[PATH_MAX], full[PATH_MAX * 2];
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.')
			continue;
		snprintf(rel, sizeof(rel), "%s%s%s", sub, *sub ? "/" : "", de->d_name);
		snprintf(full, sizeof(full), "%s/%s", root, rel);
		if (is_dir(full)) {
			if (strcmp(de->d_name, "lib") && strcmp(de->d_name, "libmshv"))
				scan(root, rel, pats, npats);
			continue;
		}
		if (len < 5 || strcmp(de->d_name + len - 5, "_test") ||
		    access(full, X_OK) || !matches(rel, pats, npats))
			continue;
		if (nprogs == MAX_PROGS)
			die("more than %d test programs in %s", MAX_PROGS, root);
		progs[nprogs].rel = xstrdup(rel);
		progs[nprogs].path = xstrdup(full);
		nprogs++;
	}
	closedir(d);
}

/* ---- module loading ---- */

static int run_cmd(const char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		execvp(argv[0], (char *const *)argv);
		fprintf(stderr, "mshv-run: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static bool module_loaded(const char *name)
{
	char p[128];

	snprintf(p, sizeof(p), "/sys/module/%s", name);
	return is_dir(p);
}

static void load_modules(const char *repo)
{
	static const char * const kos[][2] = {
		{ "mshv_root", "driver/mshv_root.ko" },
		{ "mshv_hvsim", "driver/hvsim/mshv_hvsim.ko" },
	};
	char path[PATH_MAX];
	unsigned int i;
	bool have_ko;

	snprintf(path, sizeof(path), "%s/%s", repo, kos[0][1]);
	have_ko = is_file(path);
	if (!have_ko) {
		static const char * const argv[] = { "modprobe", "mshv_root", NULL };

		if (module_loaded("mshv_root"))
			return;
		fprintf(stderr, "mshv-run: %s not built; trying 'modprobe mshv_root'\n", path);
		if (run_cmd(argv))
			die("'modprobe mshv_root' failed: on a Microsoft Hypervisor root or L1VH "
			    "host install the mshv_root module (DKMS); elsewhere build the "
			    "repository ('make') so --load can use the simulator");
		return;
	}
	for (i = 0; i < 2; i++) {
		const char *argv[3] = { "insmod", NULL, NULL };

		if (module_loaded(kos[i][0]))
			continue;
		snprintf(path, sizeof(path), "%s/%s", repo, kos[i][1]);
		argv[1] = path;
		if (!is_file(path))
			die("%s is missing: build it with 'make' in %s", path, repo);
		if (run_cmd(argv))
			die("'insmod %s' failed (see dmesg); loading modules needs root", path);
		fprintf(stderr, "mshv-run: loaded %s\n", path);
	}
}

/* ---- running and parsing ---- */

static struct tcase *add_case(struct prog *p, const char *name, enum result r,
			      const char *reason)
{
	struct tcase *c = calloc(1, sizeof(*c));

	if (!c)
		die("out of memory");
	c->name = xstrdup(name);
	c->res = r;
	c->reason = reason ? xstrdup(reason) : NULL;
	if (p->last)
		p->last->next = c;
	else
		p->cases = c;
	p->last = c;
	if (r == R_PASS)
		p->pass++;
	else if (r == R_FAIL)
		p->fail++;
	else
		p->skip++;
	return c;
}

struct parse {
	char run_name[256];	/* from "#  RUN  fixture.test ..." */
	char *pending[MAX_DIAG];	/* diagnostics since the last result */
	unsigned int npending;
	bool skipped_all;
	char skip_reason[512];
	int plan;
};

static void pending_clear(struct parse *ps)
{
	unsigned int i;

	for (i = 0; i < ps->npending; i++)
		free(ps->pending[i]);
	ps->npending = 0;
}

static char *trim(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		s[--n] = '\0';
	while (*s == ' ')
		s++;
	return s;
}

static void parse_line(struct prog *p, struct parse *ps, char *line)
{
	char *l = trim(line), *s;
	bool ok;

	if (opt_verbose && !opt_json)
		printf("#   | %s\n", l);
	if (!strncmp(l, "1..0", 4)) {
		s = strstr(l, "# SKIP");
		ps->skipped_all = true;
		snprintf(ps->skip_reason, sizeof(ps->skip_reason), "%s",
			 s ? trim(s + 6) : "no tests");
		return;
	}
	if (!strncmp(l, "1..", 3)) {
		ps->plan = atoi(l + 3);
		return;
	}
	if (!strncmp(l, "# ", 2) || l[0] == '#') {
		s = l + 1;
		while (*s == ' ')
			s++;
		if (!strncmp(s, "RUN ", 4)) {
			s = trim(s + 4);
			snprintf(ps->run_name, sizeof(ps->run_name), "%s", s);
			s = strstr(ps->run_name, " ...");
			if (s)
				*s = '\0';
			pending_clear(ps);
			return;
		}
		if (!strncmp(s, "OK ", 3) || !strncmp(s, "FAIL ", 5) ||
		    !strncmp(s, "Starting ", 9) || !strncmp(s, "PASSED", 6) ||
		    !strncmp(s, "FAILED", 6) || !strncmp(s, "Totals", 6))
			return;
		if (ps->npending < MAX_DIAG) {
			char *d = strstr(s, "Test failed at step #254");

			/* 254 is the selftests' TEST_ASSERT exit code, not a step. */
			if (d) {
				char buf[512];

				snprintf(buf, sizeof(buf), "%.*s%s", (int)(d - s), s,
					 "ended by the failed assertion above");
				ps->pending[ps->npending++] = xstrdup(buf);
			} else {
				ps->pending[ps->npending++] = xstrdup(s);
			}
		}
		return;
	}
	ok = !strncmp(l, "ok ", 3);
	if (ok || !strncmp(l, "not ok ", 7)) {
		char name[512], rbuf[512];
		const char *reason = NULL;
		enum result r = ok ? R_PASS : R_FAIL;
		struct tcase *c;
		unsigned int i;

		s = l + (ok ? 3 : 7);
		while (*s >= '0' && *s <= '9')
			s++;
		s = trim(s);
		if (*s == '-')
			s = trim(s + 1);
		snprintf(name, sizeof(name), "%s", s);
		s = strstr(name, "# SKIP");
		if (!s)
			s = strstr(name, "# skip");
		if (s) {
			r = R_SKIP;
			snprintf(rbuf, sizeof(rbuf), "%s", trim(s + 6));
			reason = rbuf;
			*s = '\0';
		}
		trim(name);
		/* The harness prints only the reason for a skipped case. */
		if (!name[0] || r == R_SKIP) {
			if (ps->run_name[0])
				snprintf(name, sizeof(name), "%s", ps->run_name);
			else if (!name[0])
				snprintf(name, sizeof(name), "case %u",
					 p->pass + p->fail + p->skip + 1);
		}
		c = add_case(p, name, r, reason);
		if (r == R_FAIL) {
			for (i = 0; i < ps->npending; i++) {
				c->diag[i] = ps->pending[i];
				ps->pending[i] = NULL;
			}
			c->ndiag = ps->npending;
			ps->npending = 0;
		}
		pending_clear(ps);
		ps->run_name[0] = '\0';
	}
}

static void run_prog(struct prog *p)
{
	struct parse ps;
	struct timespec t0, t1;
	char buf[8192], line[8192];
	size_t llen = 0;
	int pipefd[2], status = 0;
	bool timed_out = false;
	pid_t pid;

	memset(&ps, 0, sizeof(ps));
	ps.plan = -1;
	if (pipe(pipefd))
		die("pipe: %s", strerror(errno));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		setpgid(0, 0);
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		close(pipefd[1]);
		execl(p->path, p->path, (char *)NULL);
		printf("Bail out! cannot execute %s: %s\n", p->path, strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	close(pipefd[1]);
	for (;;) {
		struct pollfd pfd = { .fd = pipefd[0], .events = POLLIN };
		ssize_t n;
		int left;

		clock_gettime(CLOCK_MONOTONIC, &t1);
		left = opt_timeout * 1000 - (int)((t1.tv_sec - t0.tv_sec) * 1000);
		left -= (int)((t1.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0) {
			timed_out = true;
			kill(-pid, SIGKILL);
			break;
		}
		if (poll(&pfd, 1, left) <= 0)
			continue;
		n = read(pipefd[0], buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\n' || llen == sizeof(line) - 1) {
				line[llen] = '\0';
				parse_line(p, &ps, line);
				llen = 0;
			} else {
				line[llen++] = buf[i];
			}
		}
	}
	if (llen) {
		line[llen] = '\0';
		parse_line(p, &ps, line);
	}
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	p->secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (timed_out)
		p->status = -1;
	else if (WIFEXITED(status))
		p->status = WEXITSTATUS(status);
	else
		p->status = 128 + WTERMSIG(status);

	if (ps.skipped_all && !p->cases && p->status == 4) {
		add_case(p, "(whole program)", R_SKIP, ps.skip_reason);
	} else if (ps.skipped_all && !p->cases) {
		char why[128];

		snprintf(why, sizeof(why),
			 "(program) printed a skip plan but exited with status %d, not 4 (KSFT_SKIP)",
			 p->status);
		add_case(p, why, R_FAIL, NULL);
	} else if (timed_out || (p->status != 0 && p->status != 4 && !p->fail) ||
		   (ps.plan >= 0 && p->pass + p->fail + p->skip < (unsigned int)ps.plan)) {
		char why[512];
		struct tcase *c;
		unsigned int i;

		if (timed_out)
			snprintf(why, sizeof(why), "(program) killed after the %d s timeout; "
				 "last case started: %s", opt_timeout,
				 ps.run_name[0] ? ps.run_name : "none");
		else
			snprintf(why, sizeof(why),
				 "(program) exited with status %d after %u of %d cases",
				 p->status, p->pass + p->fail + p->skip, ps.plan);
		c = add_case(p, why, R_FAIL, NULL);
		for (i = 0; i < ps.npending; i++) {
			c->diag[i] = ps.pending[i];
			ps.pending[i] = NULL;
		}
		c->ndiag = ps.npending;
		ps.npending = 0;
	}
	pending_clear(&ps);
}

/* ---- reporting ---- */

static void json_str(const char *s)
{
	putchar('"');
	for (; s && *s; s++) {
		unsigned char ch = *s;

		if (ch == '"' || ch == '\\')
			printf("\\%c", ch);
		else if (ch == '\n')
			printf("\\n");
		else if (ch == '\t')
			printf("\\t");
		else if (ch < 0x20)
			printf("\\u%04x", ch);
		else
			putchar(ch);
	}
	putchar('"');
}

static const char *res_str(enum result r)
{
	return r == R_PASS ? "pass" : r == R_FAIL ? "fail" : "skip";
}

static void report_json(unsigned int pass, unsigned int fail, unsigned int skip)
{
	unsigned int i, j;

	printf("{\"programs\":[");
	for (i = 0; i < nprogs; i++) {
		struct prog *p = &progs[i];
		struct tcase *c;

		printf("%s{\"name\":", i ? "," : "");
		json_str(p->rel);
		printf(",\"exit_status\":%d,\"seconds\":%.2f,\"passed\":%u,\"failed\":%u,"
		       "\"skipped\":%u,\"cases\":[", p->status, p->secs, p->pass, p->fail, p->skip);
		for (c = p->cases; c; c = c->next) {
			if (c != p->cases)
				putchar(',');
			printf("{\"name\":");
			json_str(c->name);
			printf(",\"result\":\"%s\"", res_str(c->res));
			if (c->reason) {
				printf(",\"reason\":");
				json_str(c->reason);
			}
			printf(",\"diagnostics\":[");
			for (j = 0; j < c->ndiag; j++) {
				printf("%s", j ? "," : "");
				json_str(c->diag[j]);
			}
			printf("]}");
		}
		printf("]}");
	}
	printf("],\"passed\":%u,\"failed\":%u,\"skipped\":%u}\n", pass, fail, skip);
}

static void report_tap_prog(struct prog *p, unsigned int *n)
{
	struct tcase *c;
	unsigned int j;

	for (c = p->cases; c; c = c->next) {
		++*n;
		if (c->res == R_SKIP)
			printf("ok %u %s: %s # SKIP %s\n", *n, p->rel, c->name,
			       c->reason ? c->reason : "");
		else
			printf("%s %u %s: %s\n", c->res == R_PASS ? "ok" : "not ok", *n,
			       p->rel, c->name);
		for (j = 0; j < c->ndiag; j++)
			printf("#     %s\n", c->diag[j]);
	}
	fflush(stdout);
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "load", no_argument, NULL, 'l' },
		{ "repo", required_argument, NULL, 'r' },
		{ "timeout", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "list", no_argument, NULL, 'L' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "expect-skip", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int i, n = 0, pass = 0, fail = 0, skip = 0;
	char *dir = NULL, *repo = NULL;
	bool load = false;
	int opt;

	while ((opt = getopt_long(argc, argv, "d:lt:jvh", lopts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			dir = optarg;
			break;
		case 'l':
			load = true;
			break;
		case 'r':
			repo = optarg;
			break;
		case 't':
			opt_timeout = atoi(optarg);
			if (opt_timeout <= 0)
				die("--timeout needs a positive number of seconds");
			break;
		case 'j':
			opt_json = true;
			break;
		case 'L':
			opt_list = true;
			break;
		case 'v':
			opt_verbose = true;
			break;
		case 'S':
			opt_expect_skip = true;
			break;
		case 'h':
			print_help(stdout);
			return 0;
		default:
			print_help(stderr);
			return 2;
		}
	}
	find_self_dir();
	if (!dir)
		dir = default_dir();
	if (!is_dir(dir))
		die("no test directory '%s': build the selftests ('make -C selftests/mshv') "
		    "or pass --dir", dir);
	{
		char *real = realpath(dir, NULL);

		if (real)
			dir = real;
	}
	scan(dir, "", argv + optind, argc - optind);
	if (!nprogs)
		die("no test program in '%s' matches%s", dir, argc > optind ? " the patterns" : "");
	qsort(progs, nprogs, sizeof(progs[0]), cmp_prog);
	if (opt_list) {
		for (i = 0; i < nprogs; i++)
			printf("%s\n", progs[i].rel);
		return 0;
	}
	if (load)
		load_modules(repo ? repo : default_repo());

	if (!opt_json) {
		printf("TAP version 13\n");
		printf("# mshv-run: %u test programs from %s\n", nprogs, dir);
		if (access("/dev/mshv", F_OK))
			printf("# /dev/mshv does not exist: every test will skip "
			       "(load mshv_root, e.g. with --load)\n");
	}
	for (i = 0; i < nprogs; i++) {
		if (!opt_json) {
			printf("# running %s\n", progs[i].rel);
			fflush(stdout);
		}
		run_prog(&progs[i]);
		if (!opt_json)
			report_tap_prog(&progs[i], &n);
		pass += progs[i].pass;
		fail += progs[i].fail;
		skip += progs[i].skip;
	}
	if (opt_json) {
		report_json(pass, fail, skip);
	} else {
		printf("1..%u\n", n);
		printf("# results by program:\n");
		for (i = 0; i < nprogs; i++)
			printf("#   %-24s %3u passed, %u failed, %u skipped (%.1f s)\n",
			       progs[i].rel, progs[i].pass, progs[i].fail, progs[i].skip,
			       progs[i].secs);
		for (i = 0; fail && i < nprogs; i++)
			if (progs[i].fail)
				printf("# rerun alone: %s\n", progs[i].path);
		printf("%u passed, %u failed, %u skipped\n", pass, fail, skip);
	}
	if (opt_expect_skip) {
		/* Hosts without /dev/mshv: every program must skip as a whole. */
		if (fail || pass) {
			printf("# --expect-skip: %u cases ran instead of skipping\n", pass + fail);
			return 1;
		}
		return 0;
	}
	if (fail)
		return 1;
	return pass ? 0 : 4;
}
