package frames

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func split(chunks ...string) []string {
	var lines []string
	s := NewSplitter(func(l string) { lines = append(lines, l) })
	for _, c := range chunks {
		s.Write([]byte(c))
	}
	s.Close()
	return lines
}

func TestLinesAreSplitOnNewlinesAcrossChunks(t *testing.T) {
	got := split("a\nb", "c\n\nd", "", "e")
	want := []string{"a", "bc", "", "de"}
	if strings.Join(got, "|") != strings.Join(want, "|") || len(got) != len(want) {
		t.Fatalf("got %q", got)
	}
}

func TestALineWithoutNewlineIsFlushedAt64KiBOnACharacterBoundary(t *testing.T) {
	long := strings.Repeat("é", 40000) // 80,000 bytes, two per character
	got := split(long[:30001], long[30001:])
	if len(got) != 2 || strings.Join(got, "") != long {
		t.Fatalf("%d lines", len(got))
	}
	for _, l := range got {
		if len(l) > MaxLine || !utf8.ValidString(l) {
			t.Fatalf("line of %d bytes, valid %v", len(l), utf8.ValidString(l))
		}
	}
	if len(got[0]) != MaxLine {
		t.Fatalf("first line %d bytes", len(got[0]))
	}
}

func TestValidUTF8AndCut(t *testing.T) {
	if got := ValidUTF8([]byte("ok\xffé\xc3")); got != "ok\uFFFDé\uFFFD" {
		t.Fatalf("got %q", got)
	}
	if got := CutUTF8("aé", 2); got != "a" {
		t.Fatalf("got %q", got)
	}
	if got := CutUTF8("aé", 3); got != "aé" {
		t.Fatalf("got %q", got)
	}
	if got := CutUTF8("\x80\x80\x80\x80\x80\x80", 5); len(got) != 5 {
		t.Fatalf("a run of stray bytes is cut where asked: %q", got)
	}
}

func TestALongLineWhoseNewlineComesInTheSameWriteIsCutToo(t *testing.T) {
	long := strings.Repeat("x", 150000)
	got := split(long + "\n")
	if len(got) != 3 || len(got[0]) != MaxLine || len(got[1]) != MaxLine || len(got[2]) != 150000-2*MaxLine {
		t.Fatalf("pieces of %v bytes", lens(got))
	}
}

func TestALineOfExactlyMaxLineIsOneLineWhenItsNewlineComesLater(t *testing.T) {
	got := split(strings.Repeat("x", MaxLine), "\nnext\n")
	if len(got) != 2 || len(got[0]) != MaxLine || got[1] != "next" {
		t.Fatalf("got lines of %v bytes", lens(got))
	}
}

func TestPiecesOfAShiftedMultibyteLineAreCutOnCharacterBoundaries(t *testing.T) {
	line := "a" + strings.Repeat("é", 40000)
	got := split(line + "\n")
	if len(got) != 2 || got[0] != "a"+strings.Repeat("é", 32767) || got[1] != strings.Repeat("é", 7233) {
		t.Fatalf("got lines of %v bytes", lens(got))
	}
}

func lens(lines []string) []int {
	out := make([]int, len(lines))
	for i, l := range lines {
		out[i] = len(l)
	}
	return out
}
