package subtests

import "testing"

func TestTable(t *testing.T) {
	cases := []struct {
		name string
		in   int
		want string
	}{
		{"case 1", 1, "positive"},
		{"case_2", -2, "negative"},
		{"zero", 0, "zero"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Classify(c.in); got != c.want {
				t.Fatalf("Classify(%d) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestOther(t *testing.T) {
	if Classify(5) != "positive" {
		t.Fatal("5 is positive")
	}
}
