// Package ui holds the shared form and table pieces of every page, built on
// the NL Design System (Utrecht) component classes. Each takes a Props value.
package ui

import (
	"sort"
	"strconv"
)

// FieldProps describes one labelled input with its hint and error.
type FieldProps struct {
	Name         string // form field name, also the element id
	Label        string
	Hint         string
	Value        string
	Error        string
	Type         string // text (default), email, password, number, date, datetime-local, search, tel, url
	Required     bool
	Autocomplete string
	MaxLength    int
	InputMode    string
	Min, Max     string
	Rows         int // for textareas; default 4
	Autofocus    bool
	Placeholder  string
}

// ID is the element id of the field.
func (p FieldProps) ID() string { return "veld-" + p.Name }

// HintID is the id of the hint paragraph.
func (p FieldProps) HintID() string { return p.ID() + "-uitleg" }

// ErrorID is the id of the error message.
func (p FieldProps) ErrorID() string { return p.ID() + "-fout" }

// DescribedBy lists the ids that describe the field, for aria-describedby.
func (p FieldProps) DescribedBy() string {
	s := ""
	if p.Error != "" {
		s = p.ErrorID()
	}
	if p.Hint != "" {
		if s != "" {
			s += " "
		}
		s += p.HintID()
	}
	return s
}

// InputType is the HTML type attribute, text by default.
func (p FieldProps) InputType() string {
	if p.Type == "" {
		return "text"
	}
	return p.Type
}

// RowsOrDefault is the textarea height.
func (p FieldProps) RowsOrDefault() string {
	if p.Rows <= 0 {
		return "4"
	}
	return strconv.Itoa(p.Rows)
}

// Option is one choice of a select, radio group or checkbox group.
type Option struct {
	Value, Label string
	Group        string // optgroup label for selects; options of one group must be adjacent
	Hint         string // one-line explanation under a radio or checkbox
}

// Yes is the value of a lone "yes" checkbox, as forms post it.
const Yes = "ja"

// One is the Selected list of a single-choice control whose value is v:
// nothing selected when v is empty.
func One(v string) []string {
	if v == "" {
		return nil
	}
	return []string{v}
}

// Checked is the Selected list of a lone "yes" checkbox.
func Checked(b bool) []string {
	if b {
		return []string{Yes}
	}
	return nil
}

// ChoiceProps describes a select, radio group or checkbox group.
type ChoiceProps struct {
	Name     string
	Label    string // label of the select, or legend of the fieldset
	Hint     string
	Error    string
	Options  []Option
	Selected []string // current values
	Required bool
	Empty    string // first, empty option of a select ("Kies…"); none when ""
}

// ID is the element id of the select or fieldset.
func (p ChoiceProps) ID() string { return "veld-" + p.Name }

// IsSelected reports whether v is among the selected values.
func (p ChoiceProps) IsSelected(v string) bool {
	for _, s := range p.Selected {
		if s == v {
			return true
		}
	}
	return false
}

// OptionID is the id of the i-th radio or checkbox.
func (p ChoiceProps) OptionID(i int) string { return p.ID() + "-" + strconv.Itoa(i) }

// DescribedBy lists the ids that describe the control.
func (p ChoiceProps) DescribedBy() string {
	return FieldProps{Name: p.Name, Hint: p.Hint, Error: p.Error}.DescribedBy()
}

// groups splits options into runs that share a Group, for optgroups.
func groups(opts []Option) [][]Option {
	var out [][]Option
	for i, o := range opts {
		if i == 0 || o.Group != opts[i-1].Group {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], o)
	}
	return out
}

// ErrorItem is one entry of the error summary above a form: the field's
// name (its element is #veld-<Field>), its visible label and the message.
type ErrorItem struct {
	Field, Label, Message string
}

// Label names a form field in the error summary: the field's name and the
// label the form shows for it.
type Label struct {
	Field, Text string
}

func itoa(n int) string { return strconv.Itoa(n) }

// Summary turns field errors into summary items in the order of labels,
// each naming its field. Only the fields in labels count: on a page with
// several forms, each form's summary lists its own fields and never
// another form's errors. Without labels at all (a form that names none),
// every error is listed, by field name, with its message only.
func Summary(errs map[string]string, labels ...Label) []ErrorItem {
	var out []ErrorItem
	if len(labels) == 0 {
		fields := make([]string, 0, len(errs))
		for f := range errs {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		for _, f := range fields {
			out = append(out, ErrorItem{Field: f, Message: errs[f]})
		}
		return out
	}
	seen := map[string]bool{}
	for _, l := range labels {
		if m, ok := errs[l.Field]; ok && !seen[l.Field] {
			out = append(out, ErrorItem{Field: l.Field, Label: l.Text, Message: m})
			seen[l.Field] = true
		}
	}
	return out
}

// SummaryID is the element id of a page's error summary; a form that posts
// back to a long page ends its action with "#"+SummaryID, so the page shown
// again with errors opens at the summary, even without JavaScript.
const SummaryID = "fouten"

// FormSummaryID is the id of the error summary of one form among several on
// a page: "fouten-" + form.
func FormSummaryID(form string) string { return SummaryID + "-" + form }
