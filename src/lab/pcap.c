/* DOC: the classic pcap file format, written and read (see pcap.h). */
#include "lab/pcap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#define PCAP_MAGIC_USEC 0xa1b2c3d4u
#define PCAP_MAGIC_NSEC 0xa1b23c4du
#define PCAPNG_MAGIC 0x0a0d0d0au

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4); /* host byte order: the magic tells readers which one */
}

static void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

void pcap_global_header(uint8_t buf[PCAP_GLOBAL_HEADER_LEN])
{
	put32(buf, PCAP_MAGIC_USEC);
	put16(buf + 4, 2); /* version 2.4 */
	put16(buf + 6, 4);
	put32(buf + 8, 0);  /* thiszone: timestamps are UTC */
	put32(buf + 12, 0); /* sigfigs */
	put32(buf + 16, PCAP_SNAPLEN);
	put32(buf + 20, PCAP_LINKTYPE_ETHERNET);
}

/* Writes every byte of the vector, in one writev when the kernel takes it all (always, for a
 * regular file), so a reader of a growing file never sees half a record but at its end. */
static bool write_vector(int fd, struct iovec *iov, int count)
{
	while (count > 0) {
		ssize_t n = writev(fd, iov, count);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		size_t done = (size_t)n;
		while (count > 0 && done >= iov->iov_len) {
			done -= iov->iov_len;
			iov++;
			count--;
		}
		if (count > 0) {
			iov->iov_base = (uint8_t *)iov->iov_base + done;
			iov->iov_len -= done;
		}
	}
	return true;
}

bool pcap_writer_start(struct pcap_writer *w, int fd, uint64_t max_bytes)
{
	uint8_t hdr[PCAP_GLOBAL_HEADER_LEN];
	pcap_global_header(hdr);
	*w = (struct pcap_writer){ .fd = fd, .max_bytes = max_bytes };
	struct iovec iov = { hdr, sizeof(hdr) };
	if (!write_vector(fd, &iov, 1))
		return false;
	w->written = sizeof(hdr);
	return true;
}

bool pcap_write(struct pcap_writer *w, const struct pcap_frame *f)
{
	if (w->full)
		return false;
	uint32_t caplen = f->caplen > PCAP_SNAPLEN ? PCAP_SNAPLEN : f->caplen;
	size_t len = PCAP_RECORD_HEADER_LEN + caplen;
	if (w->max_bytes && w->written + len > w->max_bytes) {
		w->full = true;
		return false;
	}
	uint8_t hdr[PCAP_RECORD_HEADER_LEN];
	put32(hdr, (uint32_t)f->sec);
	put32(hdr + 4, f->usec);
	put32(hdr + 8, caplen);
	put32(hdr + 12, f->origlen < caplen ? caplen : f->origlen);
	struct iovec iov[2] = { { hdr, sizeof(hdr) }, { (void *)f->data, caplen } };
	if (!write_vector(w->fd, iov, 2))
		return false;
	w->written += len;
	return true;
}

static uint32_t get32(const struct pcap_reader *r, const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return r->swapped ? __builtin_bswap32(v) : v;
}

bool pcap_reader_open(struct pcap_reader *r, FILE *in, char *err, size_t err_size)
{
	memset(r, 0, sizeof(*r));
	r->in = in;
	uint8_t hdr[PCAP_GLOBAL_HEADER_LEN];
	if (fread(hdr, 1, sizeof(hdr), in) != sizeof(hdr)) {
		snprintf(err, err_size, "not a pcap file (shorter than its 24-byte header)");
		return false;
	}
	uint32_t magic;
	memcpy(&magic, hdr, 4);
	if (magic == PCAP_MAGIC_USEC || magic == PCAP_MAGIC_NSEC) {
		r->nanoseconds = magic == PCAP_MAGIC_NSEC;
	} else if (__builtin_bswap32(magic) == PCAP_MAGIC_USEC || __builtin_bswap32(magic) == PCAP_MAGIC_NSEC) {
		r->swapped = true;
		r->nanoseconds = __builtin_bswap32(magic) == PCAP_MAGIC_NSEC;
	} else if (magic == PCAPNG_MAGIC) {
		snprintf(err, err_size, "a pcapng file: convert it first (editcap -F pcap IN OUT)");
		return false;
	} else {
		snprintf(err, err_size, "not a pcap file (magic %08x)", magic);
		return false;
	}
	r->linktype = get32(r, hdr + 20) & 0x0fffffffu; /* the top bits carry FCS flags */
	if (r->linktype != PCAP_LINKTYPE_ETHERNET) {
		snprintf(err, err_size, "link type %u: only Ethernet (1) is read", r->linktype);
		return false;
	}
	r->buf = malloc(PCAP_SNAPLEN);
	if (!r->buf) {
		snprintf(err, err_size, "out of memory");
		return false;
	}
	r->record_start = ftell(in);
	return true;
}

/* Back to the start of a partial record, so that a growing file is read again from there. */
static enum pcap_status partial(struct pcap_reader *r)
{
	clearerr(r->in);
	if (r->record_start >= 0)
		fseek(r->in, r->record_start, SEEK_SET);
	return PCAP_END;
}

enum pcap_status pcap_read(struct pcap_reader *r, struct pcap_frame *out, char *err, size_t err_size)
{
	r->record_start = ftell(r->in);
	uint8_t hdr[PCAP_RECORD_HEADER_LEN];
	size_t n = fread(hdr, 1, sizeof(hdr), r->in);
	if (n != sizeof(hdr))
		return partial(r);
	uint32_t caplen = get32(r, hdr + 8);
	if (caplen > PCAP_SNAPLEN) {
		snprintf(err, err_size, "a record of %u bytes (more than %u): a damaged file", caplen, PCAP_SNAPLEN);
		return PCAP_ERROR;
	}
	if (fread(r->buf, 1, caplen, r->in) != caplen)
		return partial(r);
	uint32_t frac = get32(r, hdr + 4);
	*out = (struct pcap_frame){
		.sec = get32(r, hdr),
		.usec = r->nanoseconds ? frac / 1000 : frac,
		.caplen = caplen,
		.origlen = get32(r, hdr + 12),
		.data = r->buf,
	};
	return PCAP_FRAME;
}

void pcap_reader_close(struct pcap_reader *r)
{
	free(r->buf);
	r->buf = NULL;
}
