#!/bin/bash
# The source folders are layers, each using only those below it:
#   system, config, bpf, loader, module, modules/ (a folder per module, and
#   the files several share), custom, pmda, dynamic, src/ (the agent)
# Fails, naming the file and the include, when a file includes a header of
# a layer above its own (an include cycle between folders in the making).
# Run by the test suite (ctest -R layers) and by hand from the checkout.
# CMakeLists.txt builds each folder into a library that links only the
# layers below it (BCC_LAYERS there follows the same order).
set -euo pipefail
cd "$(dirname "$0")/.."
layers=(system config bpf loader module modules custom pmda dynamic)
rank() {
  local i
  for i in "${!layers[@]}"; do [ "${layers[$i]}" = "$1" ] && { echo "$i"; return; }; done
  echo -1
}
bad=0
check() {  # folder-layer, file
  local own header dir
  own=$(rank "$1")
  while IFS= read -r header; do
    dir=${header%%/*}
    [ "$dir" = "$header" ] && { echo "$2: includes \"$header\", the agent itself (src/), from layer $1" >&2; bad=1; continue; }
    local r
    r=$(rank "$dir")
    if [ "$r" -gt "$own" ]; then
      echo "$2: includes \"$header\" (layer $dir) from layer $1, below it" >&2
      bad=1
    fi
  done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$2" | grep -v '^[^/]*\.h$' | cat
           sed -n 's/^#include "\([^"/]*\.h\)".*/\1/p' "$2" | grep -xE 'agent\.h' | cat)
}
for layer in "${layers[@]}"; do
  files=(src/"$layer"/*.h src/"$layer"/*.cc)
  [ "$layer" = modules ] && files=(modules/*.h modules/*/*.h modules/*/*.cc)
  for file in "${files[@]}"; do
    [ -e "$file" ] && check "$layer" "$file"
  done
done
if [ "$bad" -ne 0 ]; then
  echo "layers: see the order at the top of $0" >&2
  exit 1
fi
echo "layers: every include goes down (${layers[*]}, then src/)"
