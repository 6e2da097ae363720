# bash completion for mwaatok                               -*- shell-script -*-

_mwaatok()
{
	local cur prev words cword
	_init_completion || return

	local commands="url open token cli api session request configure export-credentials sso environments plugins"
	local options="--config --profile --region --endpoint-url --output --jobs --timeout
		--max-attempts --airflow-version --connect-to --ca-bundle --verbose --debug --quiet --no-progress
		--help --version --all --tag --service --header --data --data-file --unsigned-payload
		--dry-run --include --format --check --no-browser --sso-session
		--method --query --via --discover"

	case $prev in
	-c | --config | --data-file | --ca-bundle)
		_filedir
		return
		;;
	-p | --profile)
		local files="${AWS_CONFIG_FILE:-$HOME/.aws/config} ${AWS_SHARED_CREDENTIALS_FILE:-$HOME/.aws/credentials}"
		# shellcheck disable=SC2086
		COMPREPLY=($(compgen -W "$(sed -n 's/^\[\(profile \)\{0,1\}\([^]]*\)\].*/\2/p' $files 2>/dev/null)" -- "$cur"))
		return
		;;
	-o | --output)
		COMPREPLY=($(compgen -W "print print:format=json print:format=ndjson print:format=table
			print:format=header browser file:path= file:format=cookiejar exec:command=" -- "$cur"))
		compopt -o nospace
		return
		;;
	--airflow-version)
		COMPREPLY=($(compgen -W "2 3" -- "$cur"))
		return
		;;
	--format)
		COMPREPLY=($(compgen -W "process env env-no-export" -- "$cur"))
		return
		;;
	--sso-session)
		local config="${AWS_CONFIG_FILE:-$HOME/.aws/config}"
		COMPREPLY=($(compgen -W "$(sed -n 's/^\[sso-session \([^]]*\)\].*/\1/p' "$config" 2>/dev/null)" -- "$cur"))
		return
		;;
	-X | --method)
		COMPREPLY=($(compgen -W "GET POST PATCH PUT DELETE" -- "$cur"))
		return
		;;
	--via)
		COMPREPLY=($(compgen -W "invoke-rest-api session" -- "$cur"))
		return
		;;
	-r | --region | --endpoint-url | -j | --jobs | --timeout | --max-attempts | --connect-to | \
		-t | --tag | --service | -H | --header | -d | --data | --query)
		return
		;;
	esac

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$options" -- "$cur"))
		return
	fi

	local i command=""
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-c | --config | -p | --profile | -r | --region | --endpoint-url | -o | --output | -j | --jobs | \
			--timeout | --max-attempts | --airflow-version | --connect-to | --ca-bundle | -t | --tag | --service | \
			-H | --header | -d | --data | --data-file | --format | --sso-session | -X | --method | --query | --via)
			((i++))
			;;
		-*) ;;
		*)
			command=${words[i]}
			break
			;;
		esac
	done

	case $command in
	"")
		COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		;;
	configure)
		COMPREPLY=($(compgen -W "list get" -- "$cur"))
		;;
	sso)
		COMPREPLY=($(compgen -W "login" -- "$cur"))
		;;
	request)
		COMPREPLY=($(compgen -W "GET HEAD POST PUT DELETE PATCH OPTIONS" -- "$cur"))
		;;
	url | open | token | cli | api | session)
		local aliases
		aliases=$(mwaatok environments 2>/dev/null | awk 'NR > 1 { print $1 }')
		COMPREPLY=($(compgen -W "$aliases" -- "$cur"))
		;;
	esac
} &&
	complete -F _mwaatok mwaatok
