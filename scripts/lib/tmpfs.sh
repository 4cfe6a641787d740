# shellcheck shell=bash
# Where the invoker keeps checkpoint images: a tmpfs of its own with huge pages for files that fill
# them (huge=within_size). Writing a rebuilt 120 MB pages image there is ~3x faster and deleting it
# ~40x faster than on /dev/shm's 4 KiB pages (docs/results/restore-path.md); small image files stay on
# 4 KiB pages, so no memory is lost to rounding. Source after common.sh.

# whisk.medes.invoker.checkpoint-root, honouring its CONFIG_ override like the invoker does.
MEDES_CHECKPOINT_ROOT="${CONFIG_whisk_medes_invoker_checkpoint__root:-/dev/shm/medes/checkpoints}"

ensure_image_tmpfs() {
  local dir="$MEDES_CHECKPOINT_ROOT" options
  mkdir -p "$dir"
  if mountpoint -q "$dir"; then
    options="$(awk -v d="$dir" '$2 == d { o = $4 } END { print o }' /proc/self/mounts)"
    log "images:  $dir is mounted ($options)"
    return 0
  fi
  if [ -n "$(find "$dir" -mindepth 1 -not -type d -print -quit)" ]; then
    die "images: $dir holds files; mounting the image tmpfs over it would hide those checkpoints (remove them first)"
  fi
  find "$dir" -mindepth 1 -delete  # empty directories a stopped invoker left
  if mount -t tmpfs -o huge=within_size,mode=0700 medes-images "$dir" 2>/dev/null; then
    log "images:  mounted a tmpfs with huge=within_size on $dir"
  else
    # Kernels built without transparent huge pages for tmpfs refuse the option: images still work, slower.
    mount -t tmpfs -o mode=0700 medes-images "$dir" || die "images: cannot mount a tmpfs on $dir"
    log "images:  mounted a tmpfs on $dir (this kernel refused huge=within_size; restores are slower)"
  fi
}
