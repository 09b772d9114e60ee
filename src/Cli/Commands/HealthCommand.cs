using System.CommandLine;

namespace IdentityReplicator.Cli.Commands;

/// <summary>
/// <c>idrep health --url URL</c>: exits 0 if the worker's health endpoint answers 200, else 1 (2 when the URL is not an
/// absolute http(s) URL). The container's health check (the Dockerfile's HEALTHCHECK and the ECS task definition's), so
/// the image needs no curl.
/// </summary>
internal static class HealthCommand
{
    public static Command Build()
    {
        var url = TypedOptions.HttpUrl("--url", "The endpoint to check.", new Uri("http://127.0.0.1:8080/health/ready"));
        var command = new Command("health", "Check the worker's health endpoint (exit 0 healthy, 1 not).") { url };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            try
            {
                using var response = await http.GetAsync(parse.GetValue(url), cancellationToken);
                await Console.Out.WriteLineAsync(await response.Content.ReadAsStringAsync(cancellationToken));
                return response.IsSuccessStatusCode ? IdrepCommand.Ok : IdrepCommand.CheckFailed;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                await Console.Error.WriteLineAsync($"No answer from {parse.GetValue(url)}: {e.Message}");
                return IdrepCommand.CheckFailed;
            }
        });
        return command;
    }
}
