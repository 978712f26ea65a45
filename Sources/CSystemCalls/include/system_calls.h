// The Linux calls SystemIO's ChildProcess needs that Swift's Glibc module does
// not show (glibc declares them only under _GNU_SOURCE). Sources/SystemIO/ChildProcess.swift
// is the only caller.
#ifndef PATCHLOG_SYSTEM_CALLS_H
#define PATCHLOG_SYSTEM_CALLS_H
#include <spawn.h>

/// pipe2(fds, O_CLOEXEC): a pipe whose two ends no child inherits; -1 and errno on failure.
int patchlog_pipe_cloexec(int fds[2]);

/// posix_spawn_file_actions_addchdir_np: the child changes to `path` before it runs.
int patchlog_spawn_file_actions_addchdir(posix_spawn_file_actions_t *actions, const char *path);

/// posix_spawn_file_actions_addclosefrom_np: the child closes every descriptor from
/// `lowest` up before it runs (glibc 2.34 and later).
int patchlog_spawn_file_actions_addclosefrom(posix_spawn_file_actions_t *actions, int lowest);

#endif
