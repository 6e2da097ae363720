# fish completion for mwaatok

function __mwaatok_aliases
	mwaatok environments 2>/dev/null | awk 'NR > 1 { print $1 }'
end

function __mwaatok_aws_profiles
	set -l config $HOME/.aws/config
	set -q AWS_CONFIG_FILE; and set config $AWS_CONFIG_FILE
	set -l credentials $HOME/.aws/credentials
	set -q AWS_SHARED_CREDENTIALS_FILE; and set credentials $AWS_SHARED_CREDENTIALS_FILE
	sed -n 's/^\[\(profile \)\{0,1\}\([^]]*\)\].*/\2/p' $config $credentials 2>/dev/null
end

set -l commands url open token cli api session request configure export-credentials sso environments plugins

complete -c mwaatok -f

# Commands
complete -c mwaatok -n "not __fish_seen_subcommand_from $commands" -a url -d 'create web login tokens and deliver the login URLs'
complete -c mwaatok -n "not __fish_seen_subcommand_from $commands" -a open -d 'the same, delivered to the browser'
complete -c mwaatok -n "not __fish_seen_subcommand_from $commands" -a token -d 'the raw CreateWebLoginToken response as JSON'
complete -c mwaatok -n "not __fish_seen_subcommand_from $commands" -a cli -d 'run an Airflow CLI command through CreateCliToken'
complete -c mwaatok -n "not __fish_seen_subcommand_from $commands" -a api -d 'call the Airflow REST API in each environment'
complete -c mwaatok -n "not __fish_seen_subcommand_from $commands" -a session -d 'log in to each web server and deliver the session'
complete -c mwaatok -n "not __fish_seen_subcommand_from $commands" -a request -d 'send any SigV4-signed HTTP request'
complete -c mwaatok -n "not __fish_seen_subcommand_from $commands" -a configure -d 'list the configuration, or get one value'
complete -c mwaatok -n "not __fish_seen_subcommand_from $commands" -a export-credentials -d 'print the resolved credentials'
complete -c mwaatok -n "not __fish_seen_subcommand_from $commands" -a sso -d 'IAM Identity Center device login (sso login)'
complete -c mwaatok -n "not __fish_seen_subcommand_from $commands" -a environments -d 'list the environments of the YAML profile'
complete -c mwaatok -n "not __fish_seen_subcommand_from $commands" -a plugins -d 'list the output plugins'

# Command arguments
complete -c mwaatok -n "__fish_seen_subcommand_from url open token cli api session" -a '(__mwaatok_aliases)' -d environment
complete -c mwaatok -n "__fish_seen_subcommand_from configure" -a 'list get'
complete -c mwaatok -n "__fish_seen_subcommand_from sso" -a login
complete -c mwaatok -n "__fish_seen_subcommand_from request" -a 'GET HEAD POST PUT DELETE PATCH OPTIONS'

# Options
complete -c mwaatok -s c -l config -r -F -d 'YAML profile of environments'
complete -c mwaatok -s p -l profile -x -a '(__mwaatok_aws_profiles)' -d 'AWS profile'
complete -c mwaatok -s r -l region -x -d 'AWS region'
complete -c mwaatok -l endpoint-url -x -d 'MWAA endpoint'
complete -c mwaatok -l ca-bundle -r -F -d 'CA certificates to trust (PEM)'
complete -c mwaatok -s o -l output -x -a 'print print:format=json print:format=ndjson print:format=table browser file:path= exec:command=' -d 'output plugin'
complete -c mwaatok -s j -l jobs -x -d 'parallel requests'
complete -c mwaatok -l timeout -x -d 'give up after this long'
complete -c mwaatok -l max-attempts -x -d 'attempts per request'
complete -c mwaatok -l airflow-version -x -a '2 3' -d 'Airflow major version'
complete -c mwaatok -l connect-to -x -d 'connect elsewhere (H:P:H2:P2)'
complete -c mwaatok -s v -l verbose -d 'diagnostics on stderr'
complete -c mwaatok -l debug -d 'more diagnostics on stderr'
complete -c mwaatok -s q -l quiet -d 'only errors on stderr'
complete -c mwaatok -l no-progress -d 'no progress line'
complete -c mwaatok -s h -l help -d 'print help'
complete -c mwaatok -l version -d 'print the version'
complete -c mwaatok -l all -d 'every environment of the profile'
complete -c mwaatok -s t -l tag -x -d 'environments with this tag'
complete -c mwaatok -l service -x -d 'signing name'
complete -c mwaatok -s H -l header -x -d 'add a header'
complete -c mwaatok -s d -l data -x -d 'request body'
complete -c mwaatok -l data-file -r -F -d 'request body from a file'
complete -c mwaatok -l unsigned-payload -d 'sign with UNSIGNED-PAYLOAD'
complete -c mwaatok -l dry-run -d 'print what would be sent'
complete -c mwaatok -s i -l include -d 'print status line and headers'
complete -c mwaatok -l format -x -a 'process env env-no-export' -d 'export format'
complete -c mwaatok -l check -d 'validate the profile'
complete -c mwaatok -s X -l method -x -a 'GET POST PATCH PUT DELETE' -d 'api: Airflow API method'
complete -c mwaatok -l query -x -d 'api: Airflow API query parameter KEY=VALUE'
complete -c mwaatok -l via -x -a 'invoke-rest-api session' -d 'api: how to reach Airflow'
complete -c mwaatok -l discover -d 'environments: find them with ListEnvironments'
complete -c mwaatok -l no-browser -d 'sso login: only print the verification URL and code'
complete -c mwaatok -l sso-session -x -d 'sso login: the sso-session section'
