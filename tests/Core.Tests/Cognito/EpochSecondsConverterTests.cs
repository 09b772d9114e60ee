using System.Text;
using System.Text.Json;
using CsCheck;
using IdentityReplicator.Core.Cognito;

namespace IdentityReplicator.Core.Tests.Cognito;

public sealed class EpochSecondsConverterTests
{
    private static readonly EpochSecondsConverter Converter = new();

    [Theory]
    [InlineData("1548097749", 1_548_097_749_000)]
    [InlineData("1548097749.588", 1_548_097_749_588)]
    [InlineData("1.548097749588E9", 1_548_097_749_588)]
    [InlineData("0", 0)]
    [InlineData("\"1548097749.5\"", 1_548_097_749_500)]
    [InlineData("\"2019-01-21T19:09:09.588Z\"", 1_548_097_749_588)]
    [InlineData("\"2019-01-21T21:09:09.588+02:00\"", 1_548_097_749_588)]
    [InlineData("\"2019-01-21T19:09:09.588\"", 1_548_097_749_588)]
    public void Read_NumberOrString_ReturnsTheInstant(string json, long expectedUnixMilliseconds)
    {
        // Act
        var value = Read(json);

        // Assert
        Assert.Equal(expectedUnixMilliseconds, value.ToUnixTimeMilliseconds());
    }

    [Theory]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("[1]")]
    [InlineData("\"yesterday\"")]
    [InlineData("\"\"")]
    public void Read_NotATimestamp_ThrowsJsonException(string json)
    {
        // Act / Assert
        Assert.Throws<JsonException>(() => Read(json));
    }

    [Fact]
    public void Write_Instant_WritesFractionalEpochSeconds()
    {
        // Arrange
        var buffer = new MemoryStream();

        // Act
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Converter.Write(writer, DateTimeOffset.FromUnixTimeMilliseconds(1_548_097_749_588), new JsonSerializerOptions());
        }

        // Assert
        Assert.Equal("1548097749.588", Encoding.UTF8.GetString(buffer.ToArray()));
    }

    [Fact]
    public void WriteThenRead_AnyMillisecondInstant_RoundTrips()
    {
        // Any instant between 1970 and 2200, at the millisecond precision Cognito uses.
        Gen.Long[0, 7_258_118_400_000].Sample(milliseconds =>
        {
            // Arrange
            var instant = DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
            var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                Converter.Write(writer, instant, new JsonSerializerOptions());
            }

            // Act
            var read = Read(Encoding.UTF8.GetString(buffer.ToArray()));

            // Assert
            Assert.Equal(instant, read);
        });
    }

    [Fact]
    public void Context_NullableTimestampMember_UsesTheConverter()
    {
        // Act
        var group = JsonSerializer.Deserialize("""{"GroupName":"g","CreationDate":1548097749.588,"LastModifiedDate":"2019-01-21T19:09:09Z"}""", CognitoJsonContext.Default.GroupType);

        // Assert
        Assert.NotNull(group);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_548_097_749_588), group.CreationDate);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_548_097_749), group.LastModifiedDate);
    }

    private static DateTimeOffset Read(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read();
        return Converter.Read(ref reader, typeof(DateTimeOffset), new JsonSerializerOptions());
    }
}
