# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion for oomlab (make install puts it in
# PREFIX/share/bash-completion/completions/oomlab). Every list comes from
# the oomlab being completed (`oomlab --complete WHAT`, harness/cmd_complete.c),
# none is written here: commands, each command's options, the cached
# kernels after --kernel, workloads after --workload, knob names (as
# "name=") after --cell; `kernels` takes fetch or list. Anything else is a
# file name (-o default).

# _oomlab_words WHAT...: the words oomlab offers for WHAT, into COMPREPLY
# when they start with $cur.
_oomlab_words() {
	local w
	while IFS= read -r w; do
		[[ $w == "$cur"* ]] && COMPREPLY+=("$w$suffix")
	done < <("$oomlab" --complete "$@" 2>/dev/null)
}

_oomlab() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local oomlab=${COMP_WORDS[0]} suffix=
	COMPREPLY=()
	if ((COMP_CWORD == 1)); then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--help --version" -- "$cur"))
		else
			_oomlab_words commands
		fi
		return
	fi
	local cmd=${COMP_WORDS[1]}
	case $prev in
	--kernel)
		_oomlab_words kernels
		return
		;;
	--workload)
		_oomlab_words workloads
		return
		;;
	--cell)
		suffix==
		_oomlab_words knobs
		compopt -o nospace 2>/dev/null
		return
		;;
	esac
	if [[ $cur == -* ]]; then
		_oomlab_words options "$cmd"
	elif [[ $cmd == kernels ]] && ((COMP_CWORD == 2)); then
		COMPREPLY=($(compgen -W "fetch list" -- "$cur"))
	fi
}

complete -o default -F _oomlab oomlab
