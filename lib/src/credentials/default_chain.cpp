#include "mwaatok/credential_provider.h"

namespace mwaatok {

std::unique_ptr<ProviderChain> makeDefaultChain(const ProviderContext &ctx, const ChainOptions &options)
{
	auto chain = std::make_unique<ProviderChain>();
	// As botocore: a profile named on the command line beats credentials in the environment.
	chain->add(makeEnvironmentProvider(ctx, options.profile.has_value()));
	chain->add(makeAssumeRoleProvider(ctx, options));
	chain->add(makeWebIdentityProvider(ctx, options));
	chain->add(makeSsoProvider(ctx, options));
	chain->add(makeProfileProvider(ctx, options));
	chain->add(makeContainerProvider(ctx));
	chain->add(makeImdsProvider(ctx, options));
	return chain;
}

} // namespace mwaatok
