/*
 * DOC: the classic pcap file format (the one tcpdump, tshark and Wireshark all read).
 *
 * A file is a 24-byte global header (magic 0xa1b2c3d4 in the writer's byte order, version
 * 2.4, snapshot length, link type) followed by records: a 16-byte header (seconds,
 * microseconds, captured length, original length) and the captured bytes. Tern writes
 * LINKTYPE_ETHERNET (1) with microsecond timestamps, each record with one write(2), so a
 * reader of a file that is still growing sees whole records followed at most by one partial
 * one, which it leaves for later.
 *
 * The reader takes files from anywhere: it accepts both byte orders and nanosecond files
 * (magic 0xa1b23c4d), refuses other link types and pcapng (with a hint), and refuses a
 * record longer than PCAP_SNAPLEN instead of trusting its length.
 */
#ifndef TERN_LAB_PCAP_H
#define TERN_LAB_PCAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PCAP_LINKTYPE_ETHERNET 1
#define PCAP_SNAPLEN 262144 /* what tcpdump uses: a whole GSO super-frame fits */
#define PCAP_GLOBAL_HEADER_LEN 24
#define PCAP_RECORD_HEADER_LEN 16

struct pcap_frame {
	int64_t sec;
	uint32_t usec;
	uint32_t caplen;   /* bytes in data */
	uint32_t origlen;  /* bytes on the wire */
	const uint8_t *data;
};

/* Writer on a file descriptor; stops (returns false) once the file would pass max_bytes. */
struct pcap_writer {
	int fd;
	uint64_t written;
	uint64_t max_bytes; /* 0: no limit */
	bool full;          /* the limit was reached: nothing more is written */
};

/* The 24-byte global header into buf. */
void pcap_global_header(uint8_t buf[PCAP_GLOBAL_HEADER_LEN]);
/* Writes the global header. False with errno on a write error. */
bool pcap_writer_start(struct pcap_writer *w, int fd, uint64_t max_bytes);
/* Writes one record (cut to PCAP_SNAPLEN) in one write(2). False when the size limit is
 * reached (w->full set) or on a write error (errno). */
bool pcap_write(struct pcap_writer *w, const struct pcap_frame *f);

/* Reader over a FILE (a regular file, a pipe, stdin). */
struct pcap_reader {
	FILE *in;
	bool swapped;      /* the file's byte order is not ours */
	bool nanoseconds;
	uint32_t linktype;
	long record_start; /* file offset of the record being read (for a growing file) */
	uint8_t *buf;      /* PCAP_SNAPLEN bytes */
};

enum pcap_status {
	PCAP_FRAME = 1,   /* a frame is in *out (data valid until the next call) */
	PCAP_END = 0,     /* no whole record (yet): the end, or a growing file's tail */
	PCAP_ERROR = -1,  /* a bad record; err says what */
};

/* Reads and checks the global header. False with a message in err. */
bool pcap_reader_open(struct pcap_reader *r, FILE *in, char *err, size_t err_size);
/* The next whole record. On PCAP_END from a regular file, the position is back at the start
 * of the partial record, so a later call after the file grew reads it whole. */
enum pcap_status pcap_read(struct pcap_reader *r, struct pcap_frame *out, char *err, size_t err_size);
void pcap_reader_close(struct pcap_reader *r);

#endif
