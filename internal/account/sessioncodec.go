package account

import (
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/alexedwards/scs/v2"
)

// SessionCodec stores session data in a small binary form instead of scs's
// default gob. Every logged-in request decodes its session and, since the
// idle expiry moves, encodes it again; gob builds its type information
// anew for each of those, which cost about a tenth of a logged-in page's
// CPU time. The values sessions hold here are few and plain (ids, strings,
// flags, bytes), so a fixed set of types covers them; a session holding any
// other type is stored with gob as before, and sessions written with gob
// (before this codec, or for such a value) are still read.
type SessionCodec struct{}

// codecMark starts the binary form. A gob stream starts with a message
// length, which is below 0x80 or a negated byte count (0xf8-0xff), never
// this byte, so the two forms cannot be mistaken for each other.
const codecMark = 0xb7

const (
	tagString byte = iota + 1
	tagInt64
	tagInt
	tagBool
	tagBytes
	tagStrings
	tagTime
)

var errCodec = errors.New("session codec: malformed data")

// Encode writes deadline and values; see SessionCodec.
func (SessionCodec) Encode(deadline time.Time, values map[string]any) ([]byte, error) {
	b := make([]byte, 0, 64)
	b = append(b, codecMark)
	b = binary.AppendVarint(b, deadline.UnixNano())
	b = binary.AppendUvarint(b, uint64(len(values)))
	// Keys in order: the same session gives the same bytes, which is how the
	// store sees that a page view changed nothing (SessionStore.CommitCtx).
	for _, k := range slices.Sorted(maps.Keys(values)) {
		v := values[k]
		b = appendString(b, k)
		switch v := v.(type) {
		case string:
			b = appendString(append(b, tagString), v)
		case int64:
			b = binary.AppendVarint(append(b, tagInt64), v)
		case int:
			b = binary.AppendVarint(append(b, tagInt), int64(v))
		case bool:
			flag := byte(0)
			if v {
				flag = 1
			}
			b = append(b, tagBool, flag)
		case []byte:
			b = appendString(append(b, tagBytes), string(v))
		case []string:
			b = binary.AppendUvarint(append(b, tagStrings), uint64(len(v)))
			for _, s := range v {
				b = appendString(b, s)
			}
		case time.Time:
			b = binary.AppendVarint(append(b, tagTime), v.UnixNano())
		default:
			return scs.GobCodec{}.Encode(deadline, values)
		}
	}
	return b, nil
}

// Decode reads what Encode wrote, or gob.
func (SessionCodec) Decode(b []byte) (time.Time, map[string]any, error) {
	if len(b) == 0 || b[0] != codecMark {
		return scs.GobCodec{}.Decode(b)
	}
	d := decoder{b: b[1:]}
	deadline := time.Unix(0, d.varint())
	n := d.uvarint()
	if d.err != nil || n > uint64(len(d.b)) {
		return time.Time{}, nil, errCodec
	}
	values := make(map[string]any, n)
	for range n {
		k := d.string()
		switch tag := d.byte(); tag {
		case tagString:
			values[k] = d.string()
		case tagInt64:
			values[k] = d.varint()
		case tagInt:
			values[k] = int(d.varint())
		case tagBool:
			values[k] = d.byte() == 1
		case tagBytes:
			values[k] = []byte(d.string())
		case tagStrings:
			m := d.uvarint()
			if m > uint64(len(d.b)) {
				return time.Time{}, nil, errCodec
			}
			list := make([]string, m)
			for i := range list {
				list[i] = d.string()
			}
			values[k] = list
		case tagTime:
			values[k] = time.Unix(0, d.varint())
		default:
			return time.Time{}, nil, fmt.Errorf("session codec: unknown type %d", tag)
		}
		if d.err != nil {
			return time.Time{}, nil, d.err
		}
	}
	if d.err != nil || len(d.b) != 0 {
		return time.Time{}, nil, errCodec
	}
	return deadline, values, nil
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// decoder reads the binary form, remembering the first error.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail() { d.err, d.b = errCodec, nil }

func (d *decoder) byte() byte {
	if len(d.b) == 0 {
		d.fail()
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) string() string {
	n := d.uvarint()
	if d.err != nil || n > uint64(len(d.b)) {
		d.fail()
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}
