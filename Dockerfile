# The worker image: `idrep worker` (the reconciler and capture-hint completion), for a container service.
# The .NET images come from the registry you choose (Microsoft's public registry, or your pull-through cache):
#   docker build --build-arg DOTNET_IMAGES=<registry>/dotnet -t identity-replicator-worker .
# The CDK app passes the same build argument (context value dotnetImages).
ARG DOTNET_IMAGES
FROM ${DOTNET_IMAGES}/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props BannedSymbols.txt .editorconfig ./
COPY src/ src/
RUN dotnet publish src/Cli/IdentityReplicator.Cli.csproj -c Release -o /app

FROM ${DOTNET_IMAGES}/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
USER app
ENV IDREP_Worker__LogFormat=json \
    IDREP_Worker__HealthUrl=http://127.0.0.1:8080 \
    DOTNET_gcServer=0
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 CMD ["dotnet", "idrep.dll", "health", "--url", "http://127.0.0.1:8080/health/ready"]
ENTRYPOINT ["dotnet", "idrep.dll"]
# Settings come from IDREP_ environment variables (IDREP_Replication__Primary__UserPoolId=…), see docs/configuration.md.
CMD ["worker"]
