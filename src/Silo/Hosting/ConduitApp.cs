using Conduit.Options;
using Conduit.Registry;
using Conduit.Secrets;
using Conduit.Silo.Api;
using Microsoft.Extensions.Options;

namespace Conduit.Silo.Hosting;

/// <summary>
/// Builds the silo process: Orleans (see <see cref="OrleansSetup"/>: embedded single silo by default, a
/// PostgreSQL-backed cluster with <c>DATABASE_URL</c>) plus the REST API on ASP.NET Core in the same process.
/// </summary>
public static class ConduitApp
{
    /// <summary>The HTTP address when neither <c>ASPNETCORE_URLS</c> nor <c>--urls</c> says otherwise.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <summary>
    /// Builds the application; <paramref name="configure"/> lets tests add configuration and services first,
    /// <paramref name="replace"/> lets them replace services last (a registration there wins over the silo's own).
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null, Action<IServiceCollection>? replace = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
        configure?.Invoke(builder);
        var config = builder.Configuration;
        if (string.IsNullOrWhiteSpace(config[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = config.GetValue<long?>("Conduit:Api:MaxRequestBodyBytes") ?? 1024 * 1024);

        AddOptions(builder);
        AddPlatform(builder);
        builder.AddConduitOrleans();

        // After Orleans: the dashboard adds to the silo builder, and the schema check must stay ahead of the silo.
        builder.AddConduitObservability();
        replace?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseMiddleware<ErrorHandlingMiddleware>();
        app.MapHealthEndpoints();
        app.MapConduitObservability();
        app.MapPlatformEndpoints();
        app.MapPostgresEndpoints();
        app.MapRedisEndpoints();
        app.MapMongoEndpoints();
        app.MapClusterEndpoints();
        app.MapBreakerEndpoints();
        return app;
    }

    /// <summary>Runs the silo until it is stopped; configuration errors exit with code 1 and a message naming the setting.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        WebApplication app;
        try
        {
            app = Build(args);
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is StartupException or OptionsValidationException or Errors.ConduitException)
        {
            await Console.Error.WriteLineAsync($"Conduit cannot start: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        var adminKey = app.Services.GetRequiredService<AdminKey>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Conduit.Silo");
        HostingLog.Started(logger, string.Join(", ", app.Urls), app.Services.GetRequiredService<PlatformStoreInfo>().Kind);
        if (adminKey.WrittenTo is { } file)
        {
            HostingLog.AdminKeyWritten(logger, file, AdminKey.EnvironmentVariable);
        }

        await app.WaitForShutdownAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        return 0;
    }

    private static void AddOptions(WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var services = builder.Services;
        services.AddOptions<TierOptions>().Bind(config.GetSection(TierOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TierOptions>, TierOptionsValidator>();
        services.AddOptions<CircuitBreakerOptions>().Bind(config.GetSection(CircuitBreakerOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CircuitBreakerOptions>, CircuitBreakerOptionsValidator>();
        services.AddOptions<IdleCleanupOptions>().Bind(config.GetSection(IdleCleanupOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DataPlaneOptions>().Bind(config.GetSection(DataPlaneOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AdmissionOptions>().Bind(config.GetSection(AdmissionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<Conduit.Resilience.SiloAdmission>();
        services.AddSingleton<Conduit.Diagnostics.DataPlaneEvents>();
    }

    private static void AddPlatform(WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var services = builder.Services;
        var databaseUrl = config["DATABASE_URL"];
        var keyText = config[CryptoKey.EnvironmentVariable];
        if (!string.IsNullOrWhiteSpace(databaseUrl) && string.IsNullOrWhiteSpace(keyText))
        {
            throw new StartupException($"{CryptoKey.EnvironmentVariable} is required when DATABASE_URL is set: it encrypts the stored connection strings. Create one with `openssl rand -base64 32` and keep it safe.");
        }

        CryptoKey key;
        try
        {
            key = string.IsNullOrWhiteSpace(keyText) ? CryptoKey.Generate() : CryptoKey.Parse(keyText);
        }
        catch (Errors.ConduitException e)
        {
            throw new StartupException(e.Message);
        }

        services.AddSingleton(new SecretProtector(key));
        if (string.IsNullOrWhiteSpace(databaseUrl))
        {
            services.AddSingleton<IProjectRegistry, InMemoryProjectRegistry>();
            services.AddSingleton(new PlatformStoreInfo("memory"));
        }
        else
        {
            PlatformStore.AddPostgres(services, databaseUrl);
            services.AddSingleton(new PlatformStoreInfo("postgresql"));
        }

        var keyFile = config["Conduit:AdminKeyFile"] ?? Path.Combine(Directory.GetCurrentDirectory(), ".conduit", "admin-key");
        services.AddSingleton(AdminKey.Resolve(config[AdminKey.EnvironmentVariable], keyFile));
        services.AddSingleton<ApiKeys>();
    }
}
