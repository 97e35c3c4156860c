#!/bin/sh
# End-to-end tests of `cartograph template render`: rendering with data, partials and
# a layout, data from stdin, errors for broken templates and data with their line
# (and column), and the exit codes (0 ok, 1 failure, 2 usage).
set -u
cd "$(dirname "$0")/../.."
bin=${CARTOGRAPH:-bin/cartograph}
passed=0 failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -x "$bin" ]; then
	echo "$bin is missing: run make first"
	echo "0 passed, 1 failed"
	exit 1
fi

# check NAME WANT_STATUS WANT_STDOUT_FILE_OR_- STDERR_PATTERN_OR_- -- COMMAND...
# Runs COMMAND and compares its exit status, its whole stdout (with a file of the
# expected bytes) and whether stderr contains a fixed string.
check() {
	name=$1 want_status=$2 want_out=$3 want_err=$4
	shift 5
	"$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
	problem=""
	[ "$status" = "$want_status" ] || problem="exit status $status, want $want_status"
	if [ -z "$problem" ] && [ "$want_out" != - ] && ! cmp -s "$tmp/out" "$want_out"; then
		problem="output differs: $(diff "$want_out" "$tmp/out" | head -n 10)"
	fi
	if [ -z "$problem" ] && [ "$want_err" != - ] && ! grep -qF -- "$want_err" "$tmp/err"; then
		problem="stderr lacks '$want_err': $(cat "$tmp/err")"
	fi
	if [ -z "$problem" ]; then
		passed=$((passed + 1))
		echo "ok   $name"
	else
		failed=$((failed + 1))
		echo "FAIL $name"
		echo "    $problem"
	fi
}

mkdir -p "$tmp/site" "$tmp/parts"
cat >"$tmp/site/layout.mustache" <<'EOF'
<html>
<title>{{$title}}Shop{{/title}}</title>
<body>
  {{$body}}
  {{/body}}
</body>
</html>
EOF
cat >"$tmp/site/review.mustache" <<'EOF'
<li>{{author}} ({{rating}}/5): {{text}}</li>
EOF
cat >"$tmp/site/product.mustache" <<'EOF'
{{<layout}}
{{$title}}{{name}}{{/title}}
{{$body}}
<h1>{{name}}</h1>
<p>{{price}} EUR</p>
<ul>
{{#reviews}}
  {{>review}}
{{/reviews}}
{{^reviews}}
  <li>No reviews yet</li>
{{/reviews}}
</ul>
{{/body}}
{{/layout}}
EOF
cat >"$tmp/data.json" <<'EOF'
{
  "name": "Mug <XL> & saucer",
  "price": 12.5,
  "reviews": [
    {"author": "Ann", "rating": 5, "text": "Great"},
    {"author": "Bo", "rating": 3, "text": "\"ok\""}
  ]
}
EOF
cat >"$tmp/want-product.html" <<'EOF'
<html>
<title>Mug &lt;XL&gt; &amp; saucer</title>
<body>
  <h1>Mug &lt;XL&gt; &amp; saucer</h1>
  <p>12.5 EUR</p>
  <ul>
    <li>Ann (5/5): Great</li>
    <li>Bo (3/5): &quot;ok&quot;</li>
  </ul>
</body>
</html>
EOF
check "renders a product page with a layout and partials from the template's folder" \
	0 "$tmp/want-product.html" - -- "$bin" template render "$tmp/site/product.mustache" "$tmp/data.json"

check "reads the data from stdin with -" \
	0 "$tmp/want-product.html" - -- sh -c "\"$bin\" template render \"$tmp/site/product.mustache\" - <\"$tmp/data.json\""

cat >"$tmp/want-empty.html" <<'EOF'
<html>
<title></title>
<body>
  <h1></h1>
  <p> EUR</p>
  <ul>
    <li>No reviews yet</li>
  </ul>
</body>
</html>
EOF
check "renders with an empty context when no data is given" \
	0 "$tmp/want-empty.html" - -- "$bin" template render "$tmp/site/product.mustache"

printf 'Hello {{>greeting}}!\n' >"$tmp/hello.mustache"
printf '{{who}}' >"$tmp/parts/greeting.mustache"
printf '{"who": "shop"}' >"$tmp/who.json"
printf 'Hello shop!\n' >"$tmp/want-hello.txt"
check "finds partials in --partials DIR" \
	0 "$tmp/want-hello.txt" - -- "$bin" template render "$tmp/hello.mustache" "$tmp/who.json" --partials "$tmp/parts"
check "accepts --partials=DIR before the template" \
	0 "$tmp/want-hello.txt" - -- "$bin" template render --partials="$tmp/parts" "$tmp/hello.mustache" "$tmp/who.json"

check "a missing partial file is an error naming it" \
	1 - "partial 'greeting': cannot open '$tmp/greeting.mustache'" -- "$bin" template render "$tmp/hello.mustache" "$tmp/who.json"

printf '<ul>\n{{#items}}\n<li>{{name}}</li>\n</ul>\n' >"$tmp/broken.mustache"
check "an unclosed section is an error with the template and line" \
	1 - "cartograph: template: $tmp/broken.mustache:2: section 'items' is never closed" -- "$bin" template render "$tmp/broken.mustache"

printf '{{#a}}\n{{/b}}\n' >"$tmp/mismatch.mustache"
check "a mismatched closing tag is an error with its line" \
	1 - "mismatch.mustache:2: closing tag 'b' does not match section 'a' opened on line 1" -- "$bin" template render "$tmp/mismatch.mustache"

printf 'line one\n{{name\n' >"$tmp/unclosed.mustache"
check "an unclosed tag is an error with its line" \
	1 - "unclosed.mustache:2: unclosed tag" -- "$bin" template render "$tmp/unclosed.mustache"

check "a missing data file is an error" \
	1 - "cannot open '$tmp/nope.json'" -- "$bin" template render "$tmp/hello.mustache" "$tmp/nope.json" --partials "$tmp/parts"

check "a missing template is an error" \
	1 - "cannot open '$tmp/nope.mustache'" -- "$bin" template render "$tmp/nope.mustache"

printf '{\n  "name": "Mug",\n  "price": 12 "stock": 3\n}\n' >"$tmp/bad.json"
check "bad JSON is an error with line and column" \
	1 - "$tmp/bad.json:3:15: expected ',' or '}'" -- "$bin" template render "$tmp/hello.mustache" "$tmp/bad.json" --partials "$tmp/parts"

check "bad JSON on stdin is named <stdin>" \
	1 - "<stdin>:1:2: expected a string key" -- sh -c "printf '{,}' | \"$bin\" template render \"$tmp/hello.mustache\" - --partials \"$tmp/parts\""

check "--help prints the usage" \
	0 - - -- "$bin" template --help
grep -q "usage: cartograph template render TEMPLATE" "$tmp/out" || { failed=$((failed + 1)); echo "FAIL --help output"; }

check "help template prints the usage" \
	0 - - -- "$bin" help template

check "no action is a usage error" \
	2 - "missing the action" -- "$bin" template
check "an unknown action is a usage error" \
	2 - "unknown action 'draw'" -- "$bin" template draw x
check "no template is a usage error" \
	2 - "which template?" -- "$bin" template render
check "an unknown option is a usage error" \
	2 - "unknown option '--fast'" -- "$bin" template render "$tmp/hello.mustache" --fast
check "a third argument is a usage error" \
	2 - "unexpected argument 'extra'" -- "$bin" template render "$tmp/hello.mustache" "$tmp/who.json" extra
check "--partials without a folder is a usage error" \
	2 - "--partials needs a folder" -- "$bin" template render "$tmp/hello.mustache" --partials

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
