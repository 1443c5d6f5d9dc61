#!/usr/bin/env bash
# The library graph of docs/architecture.md, checked on the includes: a file
# may include project headers only from its own library and from those below
# it. Static libraries let a header-only arrow (an inline function, a type)
# through the linker, so the includes are what is checked.
#
#   check_layers.sh SOURCE_DIR     checks the tree; exit 1 with every bad include
#   check_layers.sh --self-test    plants a bad include in a scratch tree and
#                                  expects it to be caught, so the check cannot
#                                  pass by reading nothing
set -euo pipefail

# folder -> the include prefixes it may use (its own first).
declare -A allowed=(
  [common/util]="common/util"
  [common/model]="common/model common/util"
  [common/exposition]="common/exposition common/model common/util"
  [common/store]="common/store common/model common/util"
  [common/relabel]="common/relabel common/model common/util"
  [common/config]="common/config common/relabel common/model common/util"
  [common/query]="common/query common/store common/model common/util"
  [collector/http_client]="collector/http_client common/config common/relabel common/model common/util"
  [collector/discovery]="collector/discovery collector/http_client common/config common/relabel common/model common/util"
  [collector/scrape]="collector/scrape collector/http_client common/query common/store common/exposition common/config common/relabel common/model common/util"
  [collector/sql]="collector/sql common/query common/store common/exposition common/config common/relabel common/model common/util"
  [exporter]="exporter common/query common/store common/exposition common/config common/relabel common/model common/util"
  [daemon]="daemon collector exporter common"
)

check_tree() {
  local root=$1 bad=0 files=0
  local folder file line target ok prefix
  for folder in "${!allowed[@]}"; do
    [ -d "$root/$folder" ] || continue
    while IFS= read -r -d '' file; do
      files=$((files + 1))
      while IFS= read -r line; do
        target=${line#*\"}
        target=${target%%\"*}
        # Only project headers: they start with one of the top-level folders.
        case $target in common/* | collector/* | exporter/* | daemon/*) ;; *) continue ;; esac
        ok=0
        for prefix in ${allowed[$folder]}; do
          if [[ $target == "$prefix"/* ]]; then ok=1; break; fi
        done
        if [ $ok -eq 0 ]; then
          echo "${file#"$root"/}: includes \"$target\", but $folder may include only: ${allowed[$folder]}"
          bad=1
        fi
      done < <(grep -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$file" || true)
    done < <(find "$root/$folder" \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' \) -print0)
  done
  if [ "$files" -eq 0 ]; then
    echo "check_layers: no source files under $root" >&2
    return 1
  fi
  echo "check_layers: $files files read" >&2
  return $bad
}

if [ "${1:-}" = "--self-test" ]; then
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  mkdir -p "$scratch/common/model" "$scratch/common/exposition"
  printf '#include "common/util/status.hpp"\n' > "$scratch/common/model/fine.cpp"
  printf '#include "common/exposition/escape.hpp"\n' > "$scratch/common/model/labels.cpp"
  if output=$(check_tree "$scratch" 2>/dev/null); then
    echo "self-test: a model file including common/exposition passed the check" >&2
    exit 1
  fi
  if [[ $output != *'common/model/labels.cpp: includes "common/exposition/escape.hpp"'* ]] ||
     [[ $output == *fine.cpp* ]]; then
    echo "self-test: unexpected report: $output" >&2
    exit 1
  fi
  echo "self-test: the planted upward include was reported, the allowed one was not" >&2
  exit 0
fi

check_tree "${1:?usage: check_layers.sh SOURCE_DIR | --self-test}"
