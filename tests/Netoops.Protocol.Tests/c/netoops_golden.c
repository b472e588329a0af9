/*
 * Independent netoops v3 packet maker for the golden tests, written from the layout table in
 * REFERENCE.md section 1 (not from the C# code): a packed struct, filled field by field, and the
 * kernel's sending order (newer segment first, newest chunk of each segment first, packet 0 = newest).
 * Unlike the 2010 driver it sends a full last chunk when a segment is a multiple of 1024 bytes.
 *
 * usage: netoops_golden TEXT SPLIT BOOT_ID DUMP_ID TYPE KERNEL_VERSION USER_BLOB
 *                       VENDOR FAMILY MODEL STEPPING RIP|- ROUNDS OUTDIR
 * writes OUTDIR/0000.bin, 0001.bin, ... in send order.
 */
#include <endian.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NETOOPS_DATA_SIZE 1024

struct netoops_x86_64_regs {
	uint64_t r15, r14, r13, r12, bp, bx, r11, r10, r9, r8;
	uint64_t ax, cx, dx, si, di, orig_ax, ip, cs, flags, sp, ss;
} __attribute__((packed));

struct netoops_packet_v3 {
	uint16_t version;
	uint16_t dump_id;
	uint16_t data_offset;
	uint16_t arch;
	uint16_t arch_offset;
	uint16_t type;
	uint32_t packet_count;
	uint32_t packet_no;
	uint32_t boot_id;
	char kernel_version[64];
	uint8_t user_blob[128];
	struct {
		uint8_t vendor, family, model, stepping;
		struct netoops_x86_64_regs regs;
	} __attribute__((packed)) x86;
	char data[NETOOPS_DATA_SIZE];
} __attribute__((packed));

_Static_assert(sizeof(struct netoops_packet_v3) == 1412, "x86_64 packet is 1412 bytes");
_Static_assert(offsetof(struct netoops_packet_v3, x86) == 216, "arch block at 216");
_Static_assert(offsetof(struct netoops_packet_v3, data) == 388, "data at 388");

static struct netoops_packet_v3 header;
static const char *outdir;
static unsigned files_written;

static void write_packet(const struct netoops_packet_v3 *p)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%04u.bin", outdir, files_written++);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(p, sizeof(*p), 1, f) != 1 || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

static unsigned chunks(size_t len)
{
	return (unsigned)((len + NETOOPS_DATA_SIZE - 1) / NETOOPS_DATA_SIZE);
}

/* One segment, newest chunk first; packet numbers continue from *packet_no. */
static void send_segment(const char *seg, size_t len, uint32_t count, uint32_t *packet_no)
{
	for (int i = (int)chunks(len) - 1; i >= 0; i--) {
		struct netoops_packet_v3 p = header;
		size_t start = (size_t)i * NETOOPS_DATA_SIZE;
		size_t n = len - start < NETOOPS_DATA_SIZE ? len - start : NETOOPS_DATA_SIZE;
		p.packet_count = htole32(count);
		p.packet_no = htole32((*packet_no)++);
		memcpy(p.data, seg + start, n);
		write_packet(&p);
	}
}

static void copy_field(void *field, size_t size, const char *value)
{
	size_t n = strlen(value);
	memcpy(field, value, n < size ? n : size);
}

int main(int argc, char **argv)
{
	if (argc != 15) {
		fprintf(stderr, "usage: %s TEXT SPLIT BOOT_ID DUMP_ID TYPE KERNEL_VERSION USER_BLOB "
			"VENDOR FAMILY MODEL STEPPING RIP|- ROUNDS OUTDIR\n", argv[0]);
		return 2;
	}
	FILE *f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	static char text[1 << 24];
	size_t len = fread(text, 1, sizeof(text), f);
	fclose(f);
	size_t split = strtoul(argv[2], NULL, 0);
	if (split > len) {
		fprintf(stderr, "split past the text\n");
		return 2;
	}

	memset(&header, 0, sizeof(header));
	header.version = htole16(3);
	header.dump_id = htole16((uint16_t)strtoul(argv[4], NULL, 0));
	header.data_offset = htole16(offsetof(struct netoops_packet_v3, data));
	header.arch = htole16(2);
	header.arch_offset = htole16(offsetof(struct netoops_packet_v3, x86));
	header.type = htole16((uint16_t)strtoul(argv[5], NULL, 0));
	header.boot_id = htole32((uint32_t)strtoul(argv[3], NULL, 0));
	/* fixed-length fields: no NUL needed when the text fills them */
	copy_field(header.kernel_version, sizeof(header.kernel_version), argv[6]);
	copy_field(header.user_blob, sizeof(header.user_blob), argv[7]);
	header.x86.vendor = (uint8_t)strtoul(argv[8], NULL, 0);
	header.x86.family = (uint8_t)strtoul(argv[9], NULL, 0);
	header.x86.model = (uint8_t)strtoul(argv[10], NULL, 0);
	header.x86.stepping = (uint8_t)strtoul(argv[11], NULL, 0);
	if (strcmp(argv[12], "-") != 0) {
		header.x86.regs.ip = htole64(strtoull(argv[12], NULL, 16));
		header.x86.regs.cs = htole64(0x10);
		header.x86.regs.flags = htole64(0x246);
	}
	int rounds = atoi(argv[13]);
	outdir = argv[14];

	const char *s1 = text, *s2 = text + split; /* older, newer */
	size_t len1 = split, len2 = len - split;
	uint32_t count = chunks(len1) + chunks(len2);
	for (int round = 0; round < rounds; round++) {
		uint32_t packet_no = 0;
		send_segment(s2, len2, count, &packet_no);
		send_segment(s1, len1, count, &packet_no);
	}
	return 0;
}
