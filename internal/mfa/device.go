package mfa

import (
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// browsers and systems are checked in order: many User-Agents name several
// (Edge says Chrome and Safari too, Android says Linux), so the most
// specific comes first.
var browsers = []struct{ token, name string }{
	{"Edg", "Edge"},
	{"OPR/", "Opera"},
	{"Opera", "Opera"},
	{"SamsungBrowser/", "Samsung Internet"},
	{"Firefox/", "Firefox"},
	{"FxiOS/", "Firefox"},
	{"CriOS/", "Chrome"},
	{"Chrome/", "Chrome"},
	{"Chromium/", "Chromium"},
	{"Version/", "Safari"}, // Safari says Version/x Safari/y; Chrome on iOS said CriOS above
}

var systems = []struct{ token, name string }{
	{"Android", "Android"},
	{"iPhone", "iPhone"},
	{"iPad", "iPad"},
	{"CrOS", "ChromeOS"},
	{"Windows", "Windows"},
	{"Macintosh", "macOS"},
	{"Mac OS X", "macOS"},
	{"Linux", "Linux"},
}

// DeviceLabel is a coarse Dutch label of the browser and system a
// User-Agent names, such as "Firefox op Android". It keeps nothing finer
// (no versions): enough to recognise one's own devices.
func DeviceLabel(ua string) string {
	browser, system := "", ""
	for _, b := range browsers {
		if strings.Contains(ua, b.token) {
			browser = b.name
			break
		}
	}
	for _, s := range systems {
		if strings.Contains(ua, s.token) {
			system = s.name
			break
		}
	}
	switch {
	case browser != "" && system != "":
		return browser + " op " + system
	case browser != "":
		return browser
	case system != "":
		return "Browser op " + system
	}
	return "Onbekend apparaat"
}

// CoarsePlace shortens the client's address (a RemoteAddr, host and port)
// to its network: IPv4 to the /24 ("192.0.2.x"), IPv6 to the /48. That
// tells "my home", "my office" or "somewhere else" apart without keeping
// anyone's address.
func CoarsePlace(remoteAddr string) string {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return "onbekend"
	}
	addr = addr.Unmap().WithZone("")
	if addr.Is4() {
		b := addr.As4()
		return strconv.Itoa(int(b[0])) + "." + strconv.Itoa(int(b[1])) + "." + strconv.Itoa(int(b[2])) + ".x"
	}
	p, err := addr.Prefix(48)
	if err != nil {
		return "onbekend"
	}
	return p.String()
}
