using System.Text;
using System.Text.Json;
using Conduit.Errors;
using Conduit.Mongo;
using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;

namespace Conduit.Silo.Api;

/// <summary>
/// MongoDB Extended JSON at the REST edge: request bodies become one BSON argument document (each
/// top-level field parsed on its own so a mistake names the field), results are written as canonical
/// Extended JSON so no type is lost (<c>{"$oid": …}</c>, <c>{"$numberLong": …}</c>, <c>{"$date": …}</c>).
/// </summary>
public static class MongoJson
{
    // MongoDB nests documents at most 100 deep; leave room for the arguments' own levels.
    private const int MaxDepth = 128;

    private static readonly JsonWriterSettings Canonical = new() { OutputMode = JsonOutputMode.CanonicalExtendedJson, Indent = false };

    /// <summary>Reads the body as the operation's arguments; an empty body means none.</summary>
    public static async Task<BsonDocument> ReadArgumentsAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.ContentType is { } contentType && !contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, "body: Content-Type must be application/json (MongoDB Extended JSON).");
        }

        string text;
        try
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            text = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new ConduitException(ErrorCodes.PayloadTooLarge, $"body: the request is larger than the limit of {context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize} bytes (Conduit:Api:MaxRequestBodyBytes).");
        }

        return string.IsNullOrWhiteSpace(text) ? [] : Parse(text);
    }

    /// <summary>Parses a JSON object of arguments; every field may use Extended JSON (canonical or relaxed).</summary>
    public static BsonDocument Parse(string text)
    {
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException e)
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, $"body: not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine}).");
        }

        using (json)
        {
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ConduitException(ErrorCodes.InvalidRequest, "body: must be a JSON object of the operation's arguments, such as {\"filter\": {\"age\": {\"$gt\": 30}}}.");
            }

            var arguments = new BsonDocument { AllowDuplicateNames = false };
            foreach (var property in json.RootElement.EnumerateObject())
            {
                if (arguments.Contains(property.Name))
                {
                    throw new ConduitException(ErrorCodes.InvalidRequest, $"{property.Name}: appears more than once.");
                }

                arguments.Add(property.Name, Value(property.Name, property.Value.GetRawText()));
            }

            return arguments;
        }
    }

    /// <summary>The operation's answer as canonical Extended JSON: the summary's fields, plus its documents under <see cref="MongoOperationNames.DocumentsField"/>.</summary>
    public static string Write(MongoOperation operation, MongoResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        using (var writer = new JsonWriter(text, Canonical))
        {
            writer.WriteStartDocument();
            foreach (var element in BsonSerializer.Deserialize<BsonDocument>(result.Summary))
            {
                writer.WriteName(element.Name);
                BsonValueSerializer.Instance.Serialize(BsonSerializationContext.CreateRoot(writer), element.Value);
            }

            switch (operation.DocumentsField())
            {
                case "document":
                    writer.WriteName("document");
                    if (result.Documents.Count == 0)
                    {
                        writer.WriteNull();
                    }
                    else
                    {
                        WriteDocument(writer, result.Documents[0]);
                    }

                    break;
                case { } field:
                    writer.WriteName(field);
                    writer.WriteStartArray();
                    foreach (var document in result.Documents)
                    {
                        WriteDocument(writer, document);
                    }

                    writer.WriteEndArray();
                    break;
            }

            writer.WriteEndDocument();
        }

        return text.ToString();
    }

    private static BsonValue Value(string name, string json)
    {
        try
        {
            using var reader = new JsonReader(json);
            var value = BsonValueSerializer.Instance.Deserialize(BsonDeserializationContext.CreateRoot(reader));
            return reader.IsAtEndOfFile() ? value : throw new FormatException("unexpected text after the value");
        }
        catch (Exception e) when (e is FormatException or BsonException or ArgumentException or OverflowException)
        {
            throw new ConduitException(ErrorCodes.InvalidRequest, $"{name}: not valid MongoDB Extended JSON: {e.Message}");
        }
    }

    private static void WriteDocument(JsonWriter writer, byte[] document)
    {
        using var buffer = new ByteArrayBuffer(document, isReadOnly: true);
        writer.WriteRawBsonDocument(buffer);
    }
}
