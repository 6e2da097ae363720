#!/bin/sh
# For the exec output plugin: records what it hands over (the login URL on
# stdin, the MWAATOK_* variables) in the file named by $1.
{
	printf 'stdin=%s\n' "$(cat)"
	printf 'alias=%s region=%s environment=%s\n' "$MWAATOK_ALIAS" "$MWAATOK_REGION" "$MWAATOK_ENVIRONMENT"
} >>"$1"
echo "delivered $MWAATOK_ALIAS"
